import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * The shared external specs (../shared/specs, or SPECS_DIR), loaded once into ajv 2020-12.
 * Schemas are read from there at test time and never copied into the repository.
 */

type SchemaNode = Record<string, unknown>;

export function specsDir(): string {
  return process.env.SPECS_DIR ?? path.resolve(import.meta.dirname, '../../../shared/specs');
}

export function readSpec(relativePath: string): SchemaNode {
  return JSON.parse(fs.readFileSync(path.join(specsDir(), relativePath), 'utf8')) as SchemaNode;
}

// ajv-formats is CommonJS; under ESM its function sits on `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

let shared: Ajv2020 | undefined;
/** One ajv for every shared spec, so `$ref`s between schemas and the compile cache are shared. */
export function specAjv(): Ajv2020 {
  if (!shared) {
    shared = new Ajv2020({ strict: false, allErrors: true });
    addFormats(shared);
    shared.addFormat('url', true);
  }
  return shared;
}

/**
 * A copy of a schema whose object definitions reject properties they do not list: emulator output
 * must not invent fields. Definitions without listed properties (InputFile) stay open.
 */
export function closedCopy(schema: SchemaNode, id: string, keepOpen: readonly string[] = []): SchemaNode {
  const copy = structuredClone(schema);
  copy.$id = id;
  const defs = (copy.$defs ?? {}) as Record<string, SchemaNode>;
  for (const [name, def] of Object.entries(defs)) {
    const properties = def.properties as SchemaNode | undefined;
    if (def.type === 'object' && properties && Object.keys(properties).length > 0 && !keepOpen.includes(name)) {
      def.additionalProperties = false;
    }
  }
  return copy;
}

/** Throws with ajv's own words when `data` does not validate, so a failing test says which field. */
export function assertValid(validate: ValidateFunction, data: unknown, label: string): void {
  if (!validate(data)) {
    const errors = specAjv().errorsText(validate.errors, { separator: '\n  ', dataVar: label });
    throw new Error(`${label} does not match the spec:\n  ${errors}\n${JSON.stringify(data).slice(0, 2000)}`);
  }
}
