/** @module http/hx-trigger: the `HX-Trigger` response header, safe for any text. */

/**
 * An `HX-Trigger` header value: JSON with every non-ASCII character escaped (`\u2019`), because header
 * values must be bytes (a `’` in a French message would make `Headers.set` throw); htmx parses it back.
 */
export function hxTriggerValue(events: Record<string, unknown>): string {
  return JSON.stringify(events).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
