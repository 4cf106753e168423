import { describe, expect, it } from 'vitest';
import { selectBackupFiles } from '../../src/backup/file-selection.js';
import { formatBytes, SPACE_RESERVE_BYTES, spaceShortage } from '../../src/backup/space.js';
import { mapDiskFile, rewriteVmx } from '../../src/backup/vmx.js';
import { msg } from '../../src/i18n/message.js';
import { translator } from '../../src/i18n/translate.js';
import { compactTimestamp, safeSegment } from '../../src/repository/format.js';
import { resolveLayoutName, type VmLayout } from '../../src/vsphere/vm-files.js';

const GiB = 1024 ** 3;

describe('free-space check', () => {
  it('accepts a backup that fits with the reserve, refuses one that does not, with a clear message', () => {
    expect(spaceShortage(10 * GiB, 5 * GiB, '/backups')).toBeNull();
    expect(spaceShortage(5 * GiB + SPACE_RESERVE_BYTES, 5 * GiB, '/backups')).toBeNull();
    const short = spaceShortage(5 * GiB, 5 * GiB, '/backups');
    expect(short?.code).toBe('no_space');
    expect(translator('en').message(short?.detail ?? msg('error.internal'))).toBe(
      'Not enough free space on the storage path /backups: the backup needs 5.0 GiB (plus 64.0 MiB reserve) but only 5.0 GiB is free.',
    );
    expect(translator('fr').message(short?.detail ?? msg('error.internal'))).toBe(
      'Pas assez d’espace libre sur le chemin de stockage /backups : la sauvegarde demande 5.0 GiB (plus 64.0 MiB de réserve), mais seuls 5.0 GiB sont libres.',
    );
    expect(spaceShortage(100, 1000, '/x', 0)?.message).toMatch(/needs 1000 B .* only 100 B is free/);
    expect(formatBytes(1536)).toBe('1.5 KiB');
  });
});

const layout = (snapshot: boolean): VmLayout => ({
  name: 'vm1',
  vmxPath: '[ds1] vm1/vm1.vmx',
  guestId: 'g',
  guestFullName: 'G',
  numCpu: 2,
  memoryMb: 2048,
  changeTrackingEnabled: false,
  files: [
    { key: 1, name: '[ds1] vm1/vm1.vmx', type: 'config', size: 3000 },
    { key: 2, name: '[ds1] vm1/vm1.nvram', type: 'nvram', size: 8684 },
    { key: 3, name: '[ds1] vm1/disk1.vmdk', type: 'diskDescriptor', size: 500 },
    { key: 4, name: '[ds1] vm1/disk1-flat.vmdk', type: 'diskExtent', size: 1000 },
    { key: 5, name: '[ds1] vm1/disk1-000001.vmdk', type: 'diskDescriptor', size: 400 },
    { key: 6, name: '[ds1] vm1/disk1-000001-delta.vmdk', type: 'diskExtent', size: 100 },
    { key: 7, name: '[ds1] vm1/vmware.log', type: 'log', size: 10 },
    { key: 8, name: '[ds1] vm1/vm1.vmsd', type: 'snapshotList', size: 10 },
    { key: 9, name: '[ds1] vm1/vm1-Snapshot1.vmsn', type: 'snapshotData', size: 10 },
    { key: 10, name: '[ds1] vm1/vm1-aaa.vswp', type: 'swap', size: 10 },
  ],
  disks: [
    {
      key: 2000,
      chain: [
        [3, 4],
        [5, 6],
      ],
    },
  ],
  snapshotDisks: snapshot ? new Map([['snapshot-1', [{ key: 2000, chain: [[3, 4]] }]]]) : new Map(),
  devices: [
    { key: 2000, label: 'Hard disk 1', capacityBytes: 4096, fileName: '[ds1] vm1/disk1-000001.vmdk' },
  ],
});

describe('file selection', () => {
  it('takes .vmx, .nvram and the chain at the snapshot; not logs, swap, .vmsd/.vmsn or the new delta', () => {
    const files = selectBackupFiles(layout(true), 'snapshot-1');
    expect(files.map((f) => f.fileName)).toEqual(['vm1.vmx', 'vm1.nvram', 'disk1.vmdk', 'disk1-flat.vmdk']);
    // a thin flat extent reads as its full capacity
    expect(files.find((f) => f.fileName === 'disk1-flat.vmdk')).toMatchObject({
      expectedBytes: 4096,
      datastore: 'ds1',
      path: 'vm1/disk1-flat.vmdk',
    });
    expect(selectBackupFiles(layout(false), null).map((f) => f.fileName)).toEqual([
      'vm1.vmx',
      'vm1.nvram',
      'disk1.vmdk',
      'disk1-flat.vmdk',
    ]);
  });

  it('resolves the simulator’s folder-less layout names next to the .vmx', () => {
    expect(resolveLayoutName('[ds] disk1.vmdk', '[ds] vm1/vm1.vmx')).toBe('[ds] vm1/disk1.vmdk');
    expect(resolveLayoutName('[ds] other/disk1.vmdk', '[ds] vm1/vm1.vmx')).toBe('[ds] other/disk1.vmdk');
  });

  it('names backup paths safely', () => {
    expect(compactTimestamp(new Date('2026-11-22T13:27:03.436Z'))).toBe('20261122T132703Z');
    expect(safeSegment('../a/b')).toBe('__a_b');
  });
});

describe('.vmx rewrite', () => {
  const files = new Set([
    'old.vmx',
    'old.nvram',
    'disk1.vmdk',
    'disk1-flat.vmdk',
    'data.vmdk',
    'data-flat.vmdk',
  ]);
  it('renames the VM, its nvram, points disks at the backed-up descriptors and answers the copy question', () => {
    const text = [
      '.encoding = "UTF-8"',
      'displayName = "old"',
      'nvram = "old.nvram"',
      'scsi0:0.fileName = "disk1-000001.vmdk"',
      'scsi0:1.fileName = "/vmfs/volumes/ds2/other/data.vmdk"',
      'ide1:0.fileName = "/vmfs/volumes/iso/x.iso"',
      'sched.swap.derivedName = "/vmfs/volumes/ds1/old/old-1.vswp"',
    ].join('\r\n');
    const out = rewriteVmx(text, 'new "vm"', files);
    expect(out).toContain('displayName = "new |22vm|22"');
    expect(out).toContain('nvram = "new |22vm|22.nvram"');
    expect(out).toContain('scsi0:0.fileName = "disk1.vmdk"');
    expect(out).toContain('scsi0:1.fileName = "data.vmdk"');
    expect(out).toContain('ide1:0.fileName = "/vmfs/volumes/iso/x.iso"');
    expect(out).toContain('answer.msg.uuid.altered = "I Copied It"');
    expect(out).not.toContain('old');
    expect(out.match(/displayName/g)).toHaveLength(1);
  });
  it('maps a delta to the newest backed-up link of its chain', () => {
    expect(
      mapDiskFile(
        'disk1-000003.vmdk',
        new Set(['disk1.vmdk', 'disk1-000001.vmdk', 'disk1-000001-delta.vmdk']),
      ),
    ).toBe('disk1-000001.vmdk');
  });
});
