/**
 * @module views/inventory/vm-cbt: a VM's Changed Block Tracking section (`#vm-cbt`): on or off as its host
 * reports it, what an admin must know, and for operators the button that turns it on or off (htmx, the
 * section swapped as a whole); a refusal of the host is shown in place.
 */
import { Badge } from '../components/status-badge.js';
import { usePage } from '../page-context.js';

export interface CbtSectionProps {
  vmId: number;
  enabled: boolean;
  canEdit: boolean;
  /** A confirmation after a change. */
  notice?: string;
  /** Why the host refused the change. */
  error?: string;
}

/** The section: state, explanation, toggle button. */
export function CbtSection(props: CbtSectionProps) {
  const { t } = usePage();
  const verb = props.enabled ? 'disable' : 'enable';
  return (
    <section id="vm-cbt" data-testid="vm-cbt">
      <h2>{t('cbt.title')}</h2>
      <p data-testid="cbt-state">
        <Badge tone={props.enabled ? 'ok' : 'muted'}>{t(props.enabled ? 'cbt.on' : 'cbt.off')}</Badge>
      </p>
      <p class="muted">{t('cbt.intro')}</p>
      {props.notice && (
        <p class="notice notice-success" role="status" data-testid="cbt-notice">
          {props.notice}
        </p>
      )}
      {props.error && (
        <p class="form-error" role="alert" data-testid="cbt-error">
          {props.error}
        </p>
      )}
      {props.canEdit && (
        <button
          type="button"
          class={props.enabled ? 'secondary outline' : ''}
          hx-post={`/virtual-machines/${props.vmId}/change-tracking/${verb}`}
          hx-target="#vm-cbt"
          hx-swap="outerHTML"
          data-testid="cbt-toggle"
        >
          {t(`cbt.${verb}`)}
        </button>
      )}
    </section>
  );
}
