/**
 * @module vsphere/snapshot-tree — a VM's snapshot tree as the host reports it (`snapshot`: rootSnapshotList of
 * VirtualMachineSnapshotTree, currentSnapshot), flattened in tree order, with each snapshot's size where the
 * host tells it (`layoutEx`).
 */
import type { VSphereClient } from './client.js';
import {
  asArray,
  asBool,
  asIsoDate,
  asMoRef,
  asNumber,
  asRecord,
  asString,
  type MoRef,
} from './normalize.js';
import { retrieveOne } from './property-collector.js';

/** One snapshot of the tree; `parent` and `depth` (0 for a root) give its place. */
export interface SnapshotNode {
  /** The VirtualMachineSnapshot MoRef value. */
  moref: string;
  /** The snapshot's id, unique within the VM. */
  id: number | null;
  name: string;
  description: string;
  /** createTime, ISO 8601. */
  created_at: string;
  /** The VM's power state the snapshot restores (`poweredOff` for a snapshot taken without memory). */
  state: string;
  quiesced: boolean;
  parent: string | null;
  depth: number;
  is_current: boolean;
  /** Bytes of its files (see {@link snapshotSizes}); null when the host does not tell. */
  size_bytes: number | null;
}

/** A VM's snapshot tree, flattened (parents before children). */
export interface SnapshotTree {
  current: string | null;
  snapshots: SnapshotNode[];
}

type Chains = Map<string, string[]>;

/** `layoutEx` disk chains per disk key: the file keys of each link, base first. */
function chainsOf(disks: unknown): Chains {
  const out: Chains = new Map();
  for (const raw of asArray(disks)) {
    const d = asRecord(raw);
    const links = asArray(d.chain).map((c) => asArray(asRecord(c).fileKey).map((k) => asString(k)));
    out.set(
      asString(d.key),
      links.map((l) => l.join(',')),
    );
  }
  return out;
}

/**
 * The size of each snapshot: its `.vmsn` (dataKey), its memory file (memoryKey) and the disk links made when
 * it was taken, which hold the writes made after it: per disk, the link that follows the snapshot's own chain
 * in a child's chain or in the VM's current one. Null when the host lists none of these files with a size.
 * Reference: vSphere API "VirtualMachineFileLayoutEx" (file, disk, snapshot).
 */
export function snapshotSizes(layoutEx: unknown, tree: SnapshotNode[]): Map<string, number | null> {
  const layout = asRecord(layoutEx);
  const sizes = new Map<string, number | null>();
  for (const raw of asArray(layout.file)) {
    const f = asRecord(raw);
    sizes.set(asString(f.key), asNumber(f.size));
  }
  const own = new Map<string, { keys: string[]; chains: Chains }>();
  for (const raw of asArray(layout.snapshot)) {
    const s = asRecord(raw);
    const ref = asMoRef(s.key)?.value ?? '';
    own.set(ref, { keys: [asString(s.dataKey), asString(s.memoryKey)], chains: chainsOf(s.disk) });
  }
  const vmChains = chainsOf(layout.disk);
  const out = new Map<string, number | null>();
  for (const node of tree) {
    const mine = own.get(node.moref);
    if (!mine) {
      out.set(node.moref, null);
      continue;
    }
    const next = tree.filter((n) => n.parent === node.moref).map((n) => own.get(n.moref)?.chains);
    const followers = [...next, node.is_current ? vmChains : undefined].filter((c): c is Chains => !!c);
    const keys = [...mine.keys];
    for (const [disk, chain] of mine.chains) {
      const link = followers.map((c) => c.get(disk)?.[chain.length]).find((l) => l !== undefined);
      if (link) keys.push(...link.split(','));
    }
    const known = keys.map((k) => sizes.get(k)).filter((v): v is number => typeof v === 'number');
    out.set(node.moref, known.length ? known.reduce((a, b) => a + b, 0) : null);
  }
  return out;
}

/** Flattens VirtualMachineSnapshotTree lists, parents first. */
function flatten(
  trees: unknown,
  parent: string | null,
  depth: number,
  current: string | null,
  out: SnapshotNode[],
) {
  for (const raw of asArray(trees)) {
    const t = asRecord(raw);
    const moref = asMoRef(t.snapshot)?.value ?? '';
    out.push({
      moref,
      id: asNumber(t.id),
      name: asString(t.name),
      description: asString(t.description),
      created_at: asIsoDate(t.createTime) ?? '',
      state: asString(t.state, 'poweredOff'),
      quiesced: asBool(t.quiesced) ?? false,
      parent,
      depth,
      is_current: moref === current,
      size_bytes: null,
    });
    flatten(t.childSnapshotList, moref, depth + 1, current, out);
  }
  return out;
}

/**
 * Reads a VM's snapshot tree and the sizes of its snapshots (one RetrieveProperties).
 * @returns the tree; empty for a VM without snapshots.
 * @throws VSphereError `ManagedObjectNotFound` (no such VM), `Unreachable`, `NotAuthenticated`.
 * Reference: vSphere API "VirtualMachine.snapshot", "VirtualMachineSnapshotTree", "VirtualMachine.layoutEx".
 */
export async function readSnapshotTree(client: VSphereClient, vm: MoRef): Promise<SnapshotTree> {
  const props = await retrieveOne(client, vm, ['snapshot', 'layoutEx']);
  const info = asRecord(props.snapshot);
  const current = asMoRef(info.currentSnapshot)?.value ?? null;
  const snapshots = flatten(info.rootSnapshotList, null, 0, current, []);
  const sizes = snapshotSizes(props.layoutEx, snapshots);
  for (const s of snapshots) s.size_bytes = sizes.get(s.moref) ?? null;
  return { current, snapshots };
}
