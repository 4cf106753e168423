/**
 * @module backup/vmx: rewrites a backed-up `.vmx` for a restore under a new name: `displayName`, the
 * `.nvram` file (uploaded as `<new name>.nvram`), disk file names made relative to the VM's folder (a disk
 * that pointed at a snapshot delta points at the newest backed-up link of its chain), and the answer that
 * makes ESXi treat the VM as a copy (new UUID and MAC addresses) instead of asking at power-on, or, for a
 * replica that takes over from its source at failover, as moved (same UUID and MAC addresses).
 * Used by restores (src/backup/restore-upload.ts) and replication (src/replication/).
 */

const LINE = /^\s*([A-Za-z0-9_.:]+)\s*=\s*"(.*)"\s*$/;

const quote = (v: string) => v.replace(/\|/g, '|7C').replace(/"/g, '|22');

/** `disk1-000002.vmdk` -> { stem: 'disk1', n: 2 }; `disk1.vmdk` -> { stem: 'disk1', n: 0 }. */
function chainLink(name: string): { stem: string; n: number } {
  const m = /^(.*?)(?:-(\d{6}))?\.vmdk$/i.exec(name);
  return { stem: m?.[1] ?? name, n: m?.[2] ? Number(m[2]) : 0 };
}

/**
 * Picks the backed-up descriptor a disk entry must use.
 * @param value the .vmx value (absolute `/vmfs/volumes/...`, or relative); files: names in the backup.
 * @returns a file name in the backup, or `value` unchanged when none matches (e.g. an ISO image).
 */
export function mapDiskFile(value: string, files: ReadonlySet<string>): string {
  const base = value.split('/').pop() ?? value;
  if (files.has(base)) return base;
  const { stem } = chainLink(base);
  const candidates = [...files]
    .filter((f) => /\.vmdk$/i.test(f) && !/-(flat|delta|sesparse|ctk)\.vmdk$/i.test(f))
    .map((f) => ({ f, ...chainLink(f) }))
    .filter((c) => c.stem === stem)
    .sort((a, b) => b.n - a.n);
  return candidates[0]?.f ?? value;
}

/** How the VM's identity is answered: `copied` gets a new UUID and MACs, `moved` keeps them. */
export interface RewriteOptions {
  identity?: 'copied' | 'moved';
}

/**
 * Rewrites a .vmx for a VM restored (or replicated) as `vmName` (pure).
 * @param text the original .vmx; files: the file names present beside the new .vmx.
 * @param options.identity `copied` (default, restores) or `moved` (replicas: same UUID and MACs at failover).
 * @returns the new .vmx text (LF line ends, trailing newline).
 */
export function rewriteVmx(
  text: string,
  vmName: string,
  files: ReadonlySet<string>,
  options: RewriteOptions = {},
): string {
  const drop = new Set(['displayname', 'nvram', 'answer.msg.uuid.altered', 'sched.swap.derivedname']);
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = LINE.exec(raw);
    if (!m) {
      if (raw.trim()) out.push(raw);
      continue;
    }
    const key = m[1] as string;
    const value = m[2] as string;
    if (drop.has(key.toLowerCase())) continue;
    if (/\.filename$/i.test(key) && /\.vmdk$/i.test(value))
      out.push(`${key} = "${mapDiskFile(value, files)}"`);
    else out.push(`${key} = "${value}"`);
  }
  out.push(`displayName = "${quote(vmName)}"`);
  out.push(`nvram = "${quote(vmName)}.nvram"`);
  out.push(`answer.msg.uuid.altered = "${options.identity === 'moved' ? 'I Moved It' : 'I Copied It'}"`);
  return `${out.join('\n')}\n`;
}
