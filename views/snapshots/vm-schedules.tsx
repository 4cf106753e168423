/**
 * @module views/snapshots/vm-schedules: the snapshot schedules section of a VM's page, with a link to a new
 * schedule for this VM.
 */
import type { SnapshotScheduleView } from '../../src/db/snapshot-schedules.js';
import { usePage } from '../page-context.js';
import { ScheduleTable } from './schedule-table.js';

export interface VmScheduleSectionProps {
  vmId: number;
  rows: SnapshotScheduleView[];
  canEdit: boolean;
}

/** The section. */
export function VmScheduleSection(props: VmScheduleSectionProps) {
  const { t } = usePage();
  return (
    <section id="vm-snapshot-schedules" data-testid="vm-snapshot-schedules">
      <h2>{t('snapshot_schedules.title')}</h2>
      <ScheduleTable rows={props.rows} canEdit={props.canEdit} showVm={false} />
      {props.canEdit && (
        <a
          role="button"
          class="secondary"
          href={`/snapshot-schedules/new?virtual_machine=${props.vmId}`}
          data-testid="vm-snapshot-schedule-new"
        >
          {t('snapshot_schedules.new')}
        </a>
      )}
    </section>
  );
}
