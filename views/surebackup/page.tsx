/**
 * @module views/surebackup/page: the SureBackup page: statistics cards, "Verify now", the verifications list with
 * filters, and the schedules. Verifications in progress also appear in the operations widget (they are jobs).
 */

import type { ScheduleListItem } from '../../src/db/verification-schedules.js';
import type { VerificationFilter, VerificationListItem } from '../../src/db/verifications.js';
import type { VerificationStatistics } from '../../src/surebackup/statistics.js';
import { ReportLinks } from '../components/report-links.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { VerificationList } from './list.js';
import { type ScheduleChoices, ScheduleSection } from './schedules.js';
import { VerificationStats } from './stats.js';

export function SureBackupPage(props: {
  stats: VerificationStatistics;
  items: VerificationListItem[];
  filter: VerificationFilter;
  schedules: ScheduleListItem[];
  choices: ScheduleChoices;
  canRun: boolean;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('surebackup.title')}>
      <p class="muted">{t('surebackup.intro')}</p>
      {props.canRun && (
        <p>
          <button
            type="button"
            hx-get="/surebackup/verify"
            hx-target="#modal"
            hx-swap="innerHTML"
            data-testid="verify-now"
          >
            {t('surebackup.verify_now')}
          </button>
        </p>
      )}
      <VerificationStats stats={props.stats} />
      <ReportLinks period />
      <VerificationList items={props.items} filter={props.filter} canRun={props.canRun} />
      <ScheduleSection schedules={props.schedules} choices={props.choices} canEdit={props.canRun} />
      <div id="modal" />
    </Layout>
  );
}
