/** @module vsphere/wsdl-path — locates the hand-written vim25 WSDL from both the source tree and dist/. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/**
 * Absolute path of `src/vsphere/wsdl/vim.wsdl`. tsc does not copy .wsdl files, so when running from
 * `dist/src/vsphere/` the file is found by walking up to the project root and into `src/`.
 * @throws Error when the file cannot be found (broken install).
 */
export function wsdlPath(): string {
  if (cached) return cached;
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'wsdl', 'vim.wsdl')];
  for (let dir = here; dirname(dir) !== dir; dir = dirname(dir)) {
    candidates.push(join(dirname(dir), 'src', 'vsphere', 'wsdl', 'vim.wsdl'));
  }
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`vim.wsdl not found next to ${here} nor in any parent's src/vsphere/wsdl/`);
  cached = found;
  return found;
}
