/** @module vsphere/normalize — the one place where node-soap's raw vim25 objects become plain JS values. */

/** A managed object reference, e.g. `{ type: 'VirtualMachine', value: 'vm-42' }`. */
export interface MoRef {
  type: string;
  value: string;
}

/** Wire shape node-soap needs to serialise a ManagedObjectReference (`<x type="T">value</x>`). */
export interface MoRefXml {
  attributes: { type: string };
  $value: string;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for a `{type, value}` object with exactly those two string keys (our MoRef shape). */
export function isMoRef(v: unknown): v is MoRef {
  if (!isRec(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 2 && typeof v.type === 'string' && typeof v.value === 'string';
}

/**
 * Converts a MoRef to the node-soap wire shape. Inputs: `{type, value}`. Output: `{attributes:{type}, $value}`.
 * vSphere API reference: "ManagedObjectReference" data object.
 */
export function toMoRefXml(ref: MoRef): MoRefXml {
  return { attributes: { type: ref.type }, $value: ref.value };
}

/** Deep-converts every MoRef found in request arguments to the wire shape; other values are kept. */
export function encodeArgs(value: unknown): unknown {
  if (isMoRef(value)) return toMoRefXml(value);
  if (Array.isArray(value)) return value.map(encodeArgs);
  if (!isRec(value)) return value;
  const out: Rec = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === 'attributes' ? v : encodeArgs(v);
  return out;
}

/** Reads the `xsi:type` of a raw node: node-soap reports it as `xsi:type` or `XMLSchema-instance:type`. */
function xsiType(attrs: Rec): string | undefined {
  for (const [k, v] of Object.entries(attrs)) {
    if (k.endsWith(':type') && typeof v === 'string') return v.replace(/^.*:/, '');
  }
  return undefined;
}

const NUMERIC = new Set(['int', 'long', 'short', 'byte', 'double', 'float', 'decimal', 'integer']);

function primitive(type: string, text: string): unknown {
  if (NUMERIC.has(type)) return Number(text);
  if (type === 'boolean') return text === 'true' || text === '1';
  return text;
}

/**
 * Normalises a raw node-soap value, recursively.
 * - `<x type="T">v</x>` (ManagedObjectReference) becomes `{type, value}`;
 * - values typed with xsi:type `xsd:int|long|boolean|...` become numbers / booleans;
 * - `ArrayOfXxx` wrappers become arrays;
 * - other complex values become plain objects with their xsi:type (if any) in `_type`.
 * Untyped leaves stay strings (node-soap does not know the schema): read them with the `as*` helpers.
 * Empty elements are `null`.
 */
export function normalize(raw: unknown): unknown {
  if (Array.isArray(raw)) return raw.map(normalize);
  if (!isRec(raw)) return raw;
  const attrs = isRec(raw.attributes) ? raw.attributes : null;
  if (attrs) {
    const type = xsiType(attrs);
    if (typeof attrs.type === 'string' && '$value' in raw)
      return { type: attrs.type, value: String(raw.$value) };
    if (type?.startsWith('ArrayOf')) {
      const items = Object.entries(raw).filter(([k]) => k !== 'attributes');
      return items.flatMap(([, v]) => (Array.isArray(v) ? v : [v])).map(normalize);
    }
    if ('$value' in raw) return primitive(type ?? 'string', String(raw.$value));
    const out: Rec = type ? { _type: type } : {};
    for (const [k, v] of Object.entries(raw)) if (k !== 'attributes') out[k] = normalize(v);
    return out;
  }
  const out: Rec = {};
  for (const [k, v] of Object.entries(raw)) out[k] = normalize(v);
  return out;
}

/** A value that may be absent, single or repeated, as an array (`undefined`/`null` -> `[]`). */
export function asArray<T = unknown>(v: unknown): T[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

/** A string or number as a finite number, else `null`. */
export function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** `true`/`'true'`/`'1'` -> true, `false`/`'false'`/`'0'` -> false, else `null`. */
export function asBool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return null;
}

/** A value as a string (`undefined`/`null`/objects -> `fallback`). */
export function asString(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback;
}

/** An xsd:dateTime as an ISO-8601 UTC string (millisecond precision), else `null`. */
export function asIsoDate(v: unknown): string | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v !== 'string' || v === '') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A normalised MoRef, else `null`. */
export function asMoRef(v: unknown): MoRef | null {
  return isMoRef(v) ? v : null;
}

/** A plain object (for nested data objects), else `{}`. */
export function asRecord(v: unknown): Rec {
  return isRec(v) ? v : {};
}
