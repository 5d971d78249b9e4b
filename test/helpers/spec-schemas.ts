import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * Third-party specs (Telegram's Bot API, Meta's WhatsApp schemas, Twilio's OpenAPI) for opt-in cross-checks,
 * loaded once into ajv 2020-12. They are read only from an explicit SPECS_DIR, never copied into the
 * repository and never defaulted to a path outside it: a user's clone has none, and then each cross-check
 * is skipped with one line that names what was not checked.
 */

type SchemaNode = Record<string, unknown>;

/** The SPECS_DIR folder, or undefined when it is unset. */
export function specsDir(): string | undefined {
  const dir = process.env.SPECS_DIR;
  return dir ? path.resolve(dir) : undefined;
}

/**
 * Why a cross-check against `relativePath` (e.g. `telegram/bot-api.schema.json`) is skipped, or undefined
 * when it runs: `it(name, { skip: specMissing(path) }, …)` for a test that is only a cross-check. Put it on
 * the `it`, not on a `describe`: a skipped suite reports no test, so its skip would go uncounted.
 */
export function specMissing(relativePath: string): string | undefined {
  return specsDir() ? undefined : `not checked against ${relativePath}: SPECS_DIR is unset`;
}

/** Reads a spec from SPECS_DIR; a set SPECS_DIR without the file is an error, not a skip. */
export function readSpec(relativePath: string): SchemaNode {
  const dir = specsDir();
  if (!dir) throw new Error(`${relativePath} needs SPECS_DIR: guard the check with specMissing() or specCheck()`);
  const file = path.join(dir, relativePath);
  if (!fs.existsSync(file)) throw new Error(`SPECS_DIR=${dir} has no ${relativePath}`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SchemaNode;
}

/**
 * Runs one cross-check as a subtest of `t`, so the test's own assertions count apart from it. Without
 * SPECS_DIR the subtest is skipped with one line that names what was not checked. node:test runs the
 * suite's beforeEach/afterEach hooks around a subtest that runs (not around a skipped one): in a suite
 * with such hooks, keep the test's state out of them and make the check the test's last step.
 */
export async function specCheck(t: TestContext, relativePath: string, what: string, check: () => void): Promise<void> {
  const skip = specMissing(relativePath);
  await t.test(`${what} matches ${relativePath}`, skip ? { skip } : {}, check);
}

// ajv-formats is CommonJS; under ESM its function sits on `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

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
