/**
 * @module views/replication/dialogs: the replica-exists modal (seed 000: "Supprimer et continuer" deletes the
 * replica, then starts; cancel leaves everything as it was) and the failover form (reason, test mode).
 */
import { usePage } from '../page-context.js';

/** Asked when a start finds the replica already on the destination (seed 000). */
export function ReplicaExistsDialog(props: { id: number; replicaName: string; server: string }) {
  const { t } = usePage();
  const start = (choice: string) => ({
    'hx-post': `/replication/${props.id}/start`,
    'hx-vals': JSON.stringify({ existing_replica: choice }),
    'hx-target': '#modal',
    'hx-swap': 'innerHTML',
  });
  return (
    <dialog open data-testid="replica-exists-dialog">
      <article>
        <header>
          <h3>{t('replication.replica_modal_title')}</h3>
        </header>
        <p>{t('replication.replica_modal_text', { name: props.replicaName, server: props.server })}</p>
        <footer class="form-actions">
          <button type="button" class="contrast" data-testid="delete-and-continue" {...start('delete')}>
            {t('replication.delete_and_continue')}
          </button>
          <button type="button" class="secondary" data-testid="refresh-replica" {...start('refresh')}>
            {t('replication.refresh_replica')}
          </button>
          <button
            type="button"
            class="secondary outline"
            data-close-dialog
            data-testid="replica-exists-cancel"
          >
            {t('common.cancel')}
          </button>
        </footer>
      </article>
    </dialog>
  );
}

/** The failover form: reason (required) and test mode (checked by default); `error` shown in place. */
export function FailoverDialog(props: {
  id: number;
  name: string;
  values: { reason?: string; test_mode?: boolean };
  error?: string;
}) {
  const { t } = usePage();
  return (
    <dialog open data-testid="failover-dialog">
      <article>
        <header>
          <h3>{t('replication.failover_title', { name: props.name })}</h3>
        </header>
        <form hx-post={`/replication/${props.id}/failover`} hx-target="#modal" hx-swap="innerHTML">
          {props.error && (
            <p class="form-error" role="alert" data-testid="error-reason">
              {props.error}
            </p>
          )}
          <label>
            {t('replication.failover_reason')}
            <textarea name="reason" required aria-invalid={props.error ? 'true' : undefined}>
              {props.values.reason ?? ''}
            </textarea>
          </label>
          <label>
            <input type="checkbox" name="test_mode" checked={props.values.test_mode ?? true} />{' '}
            {t('replication.failover_test_mode')}
          </label>
          <footer class="form-actions">
            <button type="submit" data-testid="failover-submit">
              {t('replication.failover_submit')}
            </button>
            <button type="button" class="secondary outline" data-close-dialog>
              {t('common.cancel')}
            </button>
          </footer>
        </form>
      </article>
    </dialog>
  );
}
