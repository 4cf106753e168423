/**
 * @module views/backups/panel: "back up a VM now" and the live state of the backup it started (seed 003):
 * spinner and "backup in progress", buttons disabled, a progress bar polled every 500 ms in place (step,
 * percent, MB done of total, throughput); at the end "Backup completed (N MB)" or "Backup failed: reason".
 * No two-minute give-up: past two minutes it says the backup is still running and keeps polling.
 */
import { formatBytes } from '../components/format.js';
import { StepText } from '../components/step-text.js';
import { usePage } from '../page-context.js';
import { ACTIVE_STATUSES, type BackupView, secondsBetween } from './types.js';

export interface BackupChoices {
  vms: Array<{ id: number; name: string; server_name: string }>;
  storagePaths: Array<{ id: number; name: string }>;
}

/** Polling stops by answering this element without `hx-trigger` once the backup has ended. */
export function BackupPanel(props: { choices: BackupChoices; backup?: BackupView | null; canRun: boolean }) {
  const { t } = usePage();
  const b = props.backup;
  const running = !!b && ACTIVE_STATUSES.has(b.status);
  const polling = running
    ? {
        'hx-get': `/backups/${b.id}/panel`,
        'hx-trigger': 'every 500ms',
        'hx-target': 'this',
        'hx-swap': 'outerHTML',
      }
    : {};
  return (
    <section id="backup-panel" class="backup-panel" data-testid="backup-panel" {...polling}>
      <StartForm
        choices={props.choices}
        disabled={running || !props.canRun}
        selected={b?.virtual_machine_id ?? null}
      />
      {b && running && <RunningBackup backup={b} />}
      {b?.status === 'COMPLETED' && (
        <p class="notice notice-success" role="status" data-testid="backup-result">
          {t('backups.completed', { size: formatMegabytes(b.size_bytes) })}
        </p>
      )}
      {b?.status === 'FAILED' && (
        <p class="notice notice-error" role="alert" data-testid="backup-result">
          {t('backups.failed', { error: t.stored(b.error) })}
        </p>
      )}
      {b?.status === 'CANCELLED' && (
        <p class="notice" role="status" data-testid="backup-result">
          {t('backups.cancelled')}
        </p>
      )}
    </section>
  );
}

function StartForm(props: { choices: BackupChoices; disabled: boolean; selected: number | null }) {
  const { t } = usePage();
  const { vms, storagePaths } = props.choices;
  if (vms.length === 0) return <p class="muted">{t('backups.no_vm')}</p>;
  if (storagePaths.length === 0) return <p class="muted">{t('backups.no_storage')}</p>;
  return (
    <form
      hx-post="/backups/start"
      hx-target="#backup-panel"
      hx-swap="outerHTML"
      class="backup-form"
      data-testid="backup-form"
    >
      <div class="grid">
        <label>
          {t('backups.vm')}
          <select name="virtual_machine" disabled={props.disabled} required>
            {vms.map((vm) => (
              <option value={String(vm.id)} selected={vm.id === props.selected}>
                {vm.name} ({vm.server_name})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('backups.storage_path')}
          <select name="storage_path" disabled={props.disabled}>
            {storagePaths.map((p) => (
              <option value={String(p.id)}>{p.name}</option>
            ))}
          </select>
        </label>
      </div>
      <label>
        <input type="checkbox" name="quiesce" disabled={props.disabled} /> {t('backups.quiesce')}
      </label>
      <button
        type="submit"
        disabled={props.disabled}
        aria-busy={props.disabled ? 'true' : undefined}
        data-testid="start-backup"
      >
        {props.disabled ? t('backups.in_progress') : t('backups.start')}
      </button>
    </form>
  );
}

function RunningBackup({ backup: b }: { backup: BackupView }) {
  const { t } = usePage();
  const elapsed = secondsBetween(b.started_at, null);
  const rate = elapsed > 0 ? b.bytes_done / elapsed : 0;
  return (
    <div class="backup-progress" data-testid="backup-progress">
      <p>
        <strong>{b.vm_name}</strong> ·{' '}
        {b.status === 'PENDING' ? (
          t('backups.queued')
        ) : b.step ? (
          <StepText step={b.step} />
        ) : (
          t('backups.in_progress')
        )}
      </p>
      <progress value={b.progress} max={100} />
      <p>
        <span data-testid="backup-percent">{b.progress} %</span>
        {b.bytes_total > 0 && (
          <>
            {' · '}
            {t('backups.progress', {
              done: formatBytes(b.bytes_done),
              total: formatBytes(b.bytes_total),
              rate: formatBytes(rate),
            })}
          </>
        )}
      </p>
      {elapsed > 120 && <p class="muted">{t('backups.still_running')}</p>}
      <button
        type="button"
        class="secondary outline small"
        hx-post={`/backups/${b.id}/cancel`}
        hx-target="#backup-panel"
        hx-swap="outerHTML"
      >
        {t('backups.cancel')}
      </button>
    </div>
  );
}

/** Size in MB with two decimals, as the seed's "Sauvegarde terminée avec succès! (1.55 MB)". */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}
