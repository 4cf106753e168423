/** @module paths: absolute paths of the project's own files, the same from `src/` (tsx) and `dist/src/` (built). */
import { fileURLToPath } from 'node:url';

/** The project root (where package.json is). */
export const PROJECT_ROOT = fileURLToPath(
  new URL(import.meta.url.includes('/dist/src/') ? '../../' : '../', import.meta.url),
);

export const PUBLIC_DIR = `${PROJECT_ROOT}public`;
export const MIGRATIONS_DIR = `${PROJECT_ROOT}drizzle`;
