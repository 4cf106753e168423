/** @module views/components/status-badge: a coloured status label. */
import type { Child } from 'hono/jsx';

export type BadgeTone = 'ok' | 'warn' | 'error' | 'muted' | 'info';

export function Badge(props: { tone: BadgeTone; children: Child; testid?: string }) {
  return (
    <span class={`badge badge-${props.tone}`} data-testid={props.testid}>
      {props.children}
    </span>
  );
}
