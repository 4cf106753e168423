/**
 * @module views/backup-jobs/status: the badges of a run's and a VM line's status, and a job's selection in a
 * few words ("toutes les VM de esx-a, nom : web-*").
 */
import type { BackupJobRow } from '../../src/db/backup-jobs.js';
import type { BackupJobRunStatus, BackupJobVmStatus } from '../../src/db/schema.js';
import { Badge, type BadgeTone } from '../components/status-badge.js';
import { usePage } from '../page-context.js';

const RUN_TONES: Record<BackupJobRunStatus, BadgeTone> = {
  running: 'info',
  success: 'ok',
  warning: 'warn',
  failed: 'error',
  cancelled: 'muted',
};
const VM_TONES: Record<BackupJobVmStatus, BadgeTone> = {
  pending: 'muted',
  running: 'info',
  success: 'ok',
  failed: 'error',
  skipped: 'warn',
  cancelled: 'muted',
};

export function RunStatus(props: { status: BackupJobRunStatus; testid?: string }) {
  const { t } = usePage();
  return (
    <Badge tone={RUN_TONES[props.status]} testid={props.testid}>
      {t(`backup_jobs.run.status.${props.status}`)}
    </Badge>
  );
}

export function VmStatus(props: { status: BackupJobVmStatus }) {
  const { t } = usePage();
  return <Badge tone={VM_TONES[props.status]}>{t(`backup_jobs.vm.status.${props.status}`)}</Badge>;
}

/** The selection rules in words. @param serverNames names of the job's hosts, by id. */
export function SelectionSummary(props: { job: BackupJobRow; serverNames: Map<number, string> }) {
  const { t } = usePage();
  const { job } = props;
  const parts: string[] = [];
  if (job.esxi_server_ids.length) {
    const hosts = job.esxi_server_ids.map((id) => props.serverNames.get(id) ?? `#${id}`).join(', ');
    parts.push(t('backup_jobs.summary.hosts', { hosts }));
  }
  if (job.include_patterns.length)
    parts.push(t('backup_jobs.summary.include', { patterns: job.include_patterns.join(', ') }));
  if (job.exclude_patterns.length)
    parts.push(t('backup_jobs.summary.exclude', { patterns: job.exclude_patterns.join(', ') }));
  if (job.virtual_machine_ids.length)
    parts.push(t('backup_jobs.summary.vms', { count: job.virtual_machine_ids.length }));
  if (job.skip_powered_off) parts.push(t('backup_jobs.summary.skip_off'));
  return <span>{parts.join(' ; ')}</span>;
}
