/**
 * @module views/backup-jobs/preview: the VMs a job's rules select now, as the form describes them; refreshed in
 * place (`GET /backup-jobs/selection`) whenever a selection field changes.
 */
import type { Selection } from '../../src/backup-jobs/index.js';
import { usePage } from '../page-context.js';

export function SelectionPreview(props: { selection: Selection | null }) {
  const { t } = usePage();
  const { selection } = props;
  return (
    <div id="selection-preview" data-testid="selection-preview">
      <h3>{t('backup_jobs.preview.title')}</h3>
      {!selection || selection.selected.length === 0 ? (
        <p>{t('backup_jobs.preview.none')}</p>
      ) : (
        <>
          <p>{t('backup_jobs.preview.count', { count: selection.selected.length })}</p>
          <ul>
            {selection.selected.map((vm) => (
              <li data-testid="selected-vm">
                {vm.name} <small>({vm.server_name})</small>
              </li>
            ))}
          </ul>
        </>
      )}
      {selection?.gone.map((vm) => (
        <p>
          <small>{t('backup_jobs.preview.gone', { vm: vm.name })}</small>
        </p>
      ))}
    </div>
  );
}
