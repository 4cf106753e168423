/** @module version: the app's version, from package.json (read once). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './paths.js';

let version: string | null = null;

/** The app's version, e.g. `0.1.0`. */
export function appVersion(): string {
  version ??= (
    JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
  ).version;
  return version;
}
