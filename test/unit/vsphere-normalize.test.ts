import { describe, expect, it } from 'vitest';
import { asArray, asBool, asIsoDate, asNumber } from '../../src/vsphere/index.js';
import { encodeArgs, normalize } from '../../src/vsphere/normalize.js';

// Raw shapes below are what node-soap 1.13 produced from the simulator's responses.
describe('normalize', () => {
  it('turns MoRefs into {type, value} whatever the xsi prefix', () => {
    expect(normalize({ attributes: { type: 'Folder' }, $value: 'ha-folder-root' })).toEqual({
      type: 'Folder',
      value: 'ha-folder-root',
    });
    expect(
      normalize({ attributes: { 'xsi:type': 'ManagedObjectReference', type: 'Datastore' }, $value: 'ds-1' }),
    ).toEqual({ type: 'Datastore', value: 'ds-1' });
  });

  it('converts xsi-typed primitives and ArrayOf wrappers', () => {
    expect(normalize({ attributes: { 'XMLSchema-instance:type': 'xsd:long' }, $value: '42' })).toBe(42);
    expect(normalize({ attributes: { 'xsi:type': 'xsd:boolean' }, $value: 'true' })).toBe(true);
    expect(normalize({ attributes: { 'xsi:type': 'xsd:string' }, $value: '007' })).toBe('007');
    const single = {
      attributes: { 'XMLSchema-instance:type': 'ArrayOfManagedObjectReference' },
      ManagedObjectReference: { attributes: { type: 'Network' }, $value: 'HaNetwork-VM Network' },
    };
    expect(normalize(single)).toEqual([{ type: 'Network', value: 'HaNetwork-VM Network' }]);
    expect(normalize({ attributes: { 'xsi:type': 'ArrayOfString' } })).toEqual([]);
  });

  it('keeps the data object type in _type and leaves untyped leaves as strings', () => {
    const raw = {
      attributes: { 'XMLSchema-instance:type': 'VirtualDisk' },
      key: '203',
      deviceInfo: { attributes: { 'XMLSchema-instance:type': 'Description' }, label: 'Hard disk 1' },
    };
    expect(normalize(raw)).toEqual({
      _type: 'VirtualDisk',
      key: '203',
      deviceInfo: { _type: 'Description', label: 'Hard disk 1' },
    });
  });

  it('reads leaves with the as* helpers', () => {
    expect(asArray(undefined)).toEqual([]);
    expect(asArray('a')).toEqual(['a']);
    expect(asArray(['a', 'b'])).toEqual(['a', 'b']);
    expect(asNumber('270553174016')).toBe(270553174016);
    expect(asNumber('')).toBeNull();
    expect(asBool('false')).toBe(false);
    expect(asBool(undefined)).toBeNull();
    expect(asIsoDate('2026-11-22T13:15:58.647959436Z')).toBe('2026-11-22T13:15:58.647Z');
  });

  it('encodes MoRefs in request arguments, deeply', () => {
    expect(
      encodeArgs({
        _this: { type: 'VirtualMachine', value: 'vm-1' },
        spec: [{ obj: { type: 'T', value: 'v' } }],
      }),
    ).toEqual({
      _this: { attributes: { type: 'VirtualMachine' }, $value: 'vm-1' },
      spec: [{ obj: { attributes: { type: 'T' }, $value: 'v' } }],
    });
  });
});
