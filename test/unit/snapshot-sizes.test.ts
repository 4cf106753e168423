/**
 * A snapshot's size from the host's `layoutEx` (src/vsphere/snapshot-tree.ts): its .vmsn, its memory file and the
 * delta link made when it was taken (the link after its own chain, in its child's chain or the VM's current one);
 * null when the host gives no size for any of them.
 */
import { describe, expect, it } from 'vitest';
import { type SnapshotNode, snapshotSizes } from '../../src/vsphere/index.js';

const node = (moref: string, parent: string | null, current = false): SnapshotNode => ({
  moref,
  id: null,
  name: moref,
  description: '',
  created_at: '',
  state: 'poweredOff',
  quiesced: false,
  parent,
  depth: parent ? 1 : 0,
  is_current: current,
  size_bytes: null,
});
const ref = (value: string) => ({ type: 'VirtualMachineSnapshot', value });
const file = (key: number, size?: number) => ({
  key: String(key),
  ...(size === undefined ? {} : { size: String(size) }),
});
const chain = (...links: number[][]) => ({
  key: '2000',
  chain: links.map((l) => ({ fileKey: l.map(String) })),
});

describe('snapshot sizes from layoutEx', () => {
  // base disk 1+2; snapshot A (vmsn 10, memory 11) froze the base, delta 3+4 taken at A; snapshot B (vmsn 12)
  // froze delta 3+4, the VM now writes into delta 5+6.
  const layoutEx = {
    file: [
      file(1, 1e9),
      file(2, 1e9),
      file(3, 300),
      file(4, 4000),
      file(5, 500),
      file(6, 6000),
      file(10, 10),
      file(11, 1100),
      file(12, 12),
    ],
    snapshot: [
      { key: ref('A'), dataKey: '10', memoryKey: '11', disk: chain([1, 2]) },
      { key: ref('B'), dataKey: '12', memoryKey: '-1', disk: chain([1, 2], [3, 4]) },
    ],
    disk: chain([1, 2], [3, 4], [5, 6]),
  };

  it('counts each snapshot’s own files and the delta made when it was taken, never the base disk', () => {
    const sizes = snapshotSizes(layoutEx, [node('A', null), node('B', 'A', true)]);
    expect(sizes.get('A')).toBe(10 + 1100 + 300 + 4000);
    expect(sizes.get('B')).toBe(12 + 500 + 6000);
  });

  it('says nothing (null) when the host gives no sizes, or does not list the snapshot', () => {
    const bare = { ...layoutEx, file: layoutEx.file.map(({ key }) => ({ key })) };
    const sizes = snapshotSizes(bare, [node('A', null), node('B', 'A', true), node('C', null)]);
    expect([...sizes.values()]).toEqual([null, null, null]);
  });
});
