/** @module views/ovf/import-dialog: the modal to import a completed OVF export: host, datastore, new name, power on. */
import type { RestoreChoices } from '../backups/restore-dialog.js';
import { type DatastoreChoice, DatastoreSelect } from '../components/datastore-select.js';
import { Dialog, DialogFormActions } from '../components/dialog.js';
import { Field } from '../components/field.js';
import { usePage } from '../page-context.js';

/** The dialog (`GET /ovf-exports/{id}/import`), re-rendered with the errors in place when refused. */
export function OvfImportDialog(props: {
  exportId: number;
  vmName: string;
  choices: RestoreChoices;
  values: { esxi_server?: number; datastore?: string; vm_name?: string; power_on?: boolean };
  errors?: Record<string, string[]>;
}) {
  const { t } = usePage();
  const e = props.errors ?? {};
  return (
    <Dialog testid="ovf-import-dialog" title={`${t('ovf.import.title')} ${props.vmName}`}>
      <form hx-post={`/ovf-exports/${props.exportId}/import`} hx-target="#modal" hx-swap="innerHTML">
        {e._ && (
          <p class="form-error" role="alert">
            {e._[0]}
          </p>
        )}
        <label>
          {t('ovf.import.server')}
          <select
            name="esxi_server"
            hx-get="/ovf-exports/import-datastores"
            hx-target="#ovf-import-datastore"
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
        <OvfImportDatastoreSelect
          datastores={props.choices.datastores}
          selected={props.values.datastore}
          error={e.datastore}
        />
        <Field
          name="vm_name"
          label={t('ovf.import.vm_name')}
          value={props.values.vm_name}
          error={e.vm_name}
          required
        />
        <label>
          <input type="checkbox" name="power_on" checked={props.values.power_on} /> {t('ovf.import.power_on')}
        </label>
        <DialogFormActions submitLabel={t('ovf.import.submit')} submitTestid="ovf-import-submit" />
      </form>
    </Dialog>
  );
}

/** The import's datastore field, swapped when another host is chosen. */
export function OvfImportDatastoreSelect(props: {
  datastores: DatastoreChoice[];
  selected?: string;
  error?: string[];
}) {
  const { t } = usePage();
  return (
    <DatastoreSelect
      id="ovf-import-datastore"
      name="datastore"
      label={t('ovf.import.datastore')}
      {...props}
    />
  );
}
