/** @module views/servers/action-result: the outcome of "test connection" or "sync", swapped in by htmx. */
import { CsrfField } from '../components/csrf.js';
import { usePage } from '../page-context.js';

export function ActionResult(props: {
  level?: 'success' | 'error';
  message?: string;
  /** Offer to trust a changed certificate (admins, after a CertificateMismatch). */
  trustUrl?: string;
}) {
  const { t } = usePage();
  if (!props.message) return <div id="action-result" />;
  return (
    <div id="action-result" class={`notice notice-${props.level}`} role="status" data-testid="action-result">
      <p>{props.message}</p>
      {props.trustUrl && (
        <form method="post" action={props.trustUrl}>
          <CsrfField />
          <button type="submit" class="contrast" data-testid="trust-certificate">
            {t('servers.trust_new_certificate')}
          </button>
        </form>
      )}
    </div>
  );
}
