/** @module views/backups/restore-dialog: the modal to restore a backup: host, datastore, new name, power on. */
import { type DatastoreChoice, DatastoreSelect } from '../components/datastore-select.js';
import { Dialog, DialogFormActions } from '../components/dialog.js';
import { Field } from '../components/field.js';
import { usePage } from '../page-context.js';

export interface RestoreChoices {
  servers: Array<{ id: number; name: string }>;
  datastores: DatastoreChoice[];
}

export function RestoreDialog(props: {
  backupId: number;
  vmName: string;
  choices: RestoreChoices;
  values: { esxi_server?: number; datastore?: string; vm_name?: string; power_on?: boolean };
  errors?: Record<string, string[]>;
}) {
  const { t } = usePage();
  const e = props.errors ?? {};
  return (
    <Dialog testid="restore-dialog" title={t('backups.restore_title', { name: props.vmName })}>
      <form hx-post={`/backups/${props.backupId}/restore`} hx-target="#modal" hx-swap="innerHTML">
        {e._ && (
          <p class="form-error" role="alert">
            {e._[0]}
          </p>
        )}
        <label>
          {t('backups.restore_server')}
          <select
            name="esxi_server"
            hx-get="/backups/restore-datastores"
            hx-target="#restore-datastore"
            hx-swap="outerHTML"
            hx-trigger="change"
          >
            {props.choices.servers.map((s) => (
              <option value={String(s.id)} selected={s.id === props.values.esxi_server}>
                {s.name}
              </option>
            ))}
          </select>
          {e.esxi_server && (
            <small class="field-error" data-testid="error-esxi_server">
              {e.esxi_server[0]}
            </small>
          )}
        </label>
        <RestoreDatastoreSelect
          datastores={props.choices.datastores}
          selected={props.values.datastore}
          error={e.datastore}
        />
        <Field
          name="vm_name"
          label={t('backups.restore_name')}
          value={props.values.vm_name}
          error={e.vm_name}
          required
        />
        <label>
          <input type="checkbox" name="power_on" checked={props.values.power_on} />{' '}
          {t('backups.restore_power_on')}
        </label>
        <DialogFormActions submitLabel={t('backups.restore')} submitTestid="restore-submit" />
      </form>
    </Dialog>
  );
}

/** The restore's datastore field, swapped when another host is chosen. */
export function RestoreDatastoreSelect(props: {
  datastores: DatastoreChoice[];
  selected?: string;
  error?: string[];
}) {
  const { t } = usePage();
  return (
    <DatastoreSelect
      id="restore-datastore"
      name="datastore"
      label={t('backups.restore_datastore')}
      {...props}
    />
  );
}
