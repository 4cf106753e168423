/**
 * @module http/openapi/tidy: removes what zod's JSON Schema output adds that an OpenAPI reader does not
 * need: `$schema` and `$id` on each component, the safe-integer bounds of every integer, the long regular
 * expression beside `format: date-time`.
 */

const SAFE = Number.MAX_SAFE_INTEGER;

/** A deep copy of `value` without the noise above. */
export function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const object = value as Record<string, unknown>;
  for (const [key, item] of Object.entries(object)) {
    if (key === '$schema' || (key === '$id' && typeof item === 'string' && item.startsWith('#/'))) continue;
    if ((key === 'minimum' && item === -SAFE) || (key === 'maximum' && item === SAFE)) continue;
    if (key === 'pattern' && object.format === 'date-time') continue;
    out[key] = tidy(item);
  }
  return out;
}
