import fs from 'node:fs';
import path from 'node:path';

/** The package root, the same from src/ (tsx) and dist/ (the build and the image, whose /app holds package.json). */
export const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..');

/** package.json's version; `unknown` where the build runs without it beside (a bare dist/ folder). */
export function packageVersion(root: string = PACKAGE_ROOT): string {
  try {
    return (
      (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ??
      'unknown'
    );
  } catch {
    return 'unknown';
  }
}
