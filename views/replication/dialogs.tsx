/**
 * @module views/replication/dialogs: the replica-exists modal (seed 000: "Supprimer et continuer" deletes the
 * replica, then starts; cancel leaves everything as it was), the confirmation asked before resuming over a
 * replica in service after a failover, and the failover form (reason, test mode).
 */
import { Dialog, DialogFormActions } from '../components/dialog.js';
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
    <Dialog testid="replica-exists-dialog" title={t('replication.replica_modal_title')}>
      <p>{t('replication.replica_modal_text', { name: props.replicaName, server: props.server })}</p>
      <footer class="form-actions">
        <button type="button" class="contrast" data-testid="delete-and-continue" {...start('delete')}>
          {t('replication.delete_and_continue')}
        </button>
        <button type="button" class="secondary" data-testid="refresh-replica" {...start('refresh')}>
          {t('replication.refresh_replica')}
        </button>
        <button type="button" class="secondary outline" data-close-dialog data-testid="replica-exists-cancel">
          {t('common.cancel')}
        </button>
      </footer>
    </Dialog>
  );
}

/** Asked when resuming would overwrite a replica that a failover put in service (`message` says which). */
export function ResumeOverwriteDialog(props: { id: number; message: string }) {
  const { t } = usePage();
  return (
    <Dialog testid="resume-overwrite-dialog" title={t('replication.resume_title')}>
      <p>{props.message}</p>
      <footer class="form-actions">
        <button
          type="button"
          class="contrast"
          data-testid="resume-overwrite"
          hx-post={`/replication/${props.id}/resume`}
          hx-vals={JSON.stringify({ overwrite_replica: 'on' })}
          hx-target="#modal"
          hx-swap="innerHTML"
        >
          {t('replication.resume_overwrite')}
        </button>
        <button
          type="button"
          class="secondary outline"
          data-close-dialog
          data-testid="resume-overwrite-cancel"
        >
          {t('common.cancel')}
        </button>
      </footer>
    </Dialog>
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
    <Dialog testid="failover-dialog" title={t('replication.failover_title', { name: props.name })}>
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
        <DialogFormActions submitLabel={t('replication.failover_submit')} submitTestid="failover-submit" />
      </form>
    </Dialog>
  );
}
