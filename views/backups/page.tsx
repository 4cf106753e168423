/** @module views/backups/page: the Backups page: start a backup now, follow it live, the history, restore. */
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { BackupHistory } from './history.js';
import { type BackupChoices, BackupPanel } from './panel.js';
import type { BackupView } from './types.js';

export function BackupsPage(props: {
  choices: BackupChoices;
  current: BackupView | null;
  backups: BackupView[];
  canRun: boolean;
}) {
  const { t } = usePage();
  return (
    <Layout title={t('backups.title')}>
      <BackupPanel choices={props.choices} backup={props.current} canRun={props.canRun} />
      <BackupHistory backups={props.backups} canRestore={props.canRun} />
      <div id="modal" />
    </Layout>
  );
}
