/**
 * @module views/surebackup/verify-dialog: the "Verify now" modal: backup or OVF export, test host and datastore, isolated test
 * network, test type and services. Closed by its [data-close-dialog] button (public/app.js) or once started.
 */
import { TEST_TYPES } from '../../src/db/schema.js';
import { type DatastoreChoice, DatastoreSelect } from '../components/datastore-select.js';
import { Dialog, DialogFormActions } from '../components/dialog.js';
import { Field } from '../components/field.js';
import { formatDate } from '../components/format.js';
import { usePage } from '../page-context.js';

export interface VerifyChoices {
  backups: Array<{ id: number; vm_name: string; created_at: Date | string }>;
  exports: Array<{ id: number; vm_name: string; format: string; created_at: Date | string }>;
  servers: Array<{ id: number; name: string }>;
  datastores: Array<{ name: string; free_bytes: number }>;
}

export interface VerifyValues {
  /** `vm_backup:<id>` or `ovf_export:<id>`. */
  source?: string;
  esxi_server?: number;
  test_datastore?: string;
  test_network?: string;
  test_type?: string;
  services?: string;
}

export function VerifyDialog(props: {
  choices: VerifyChoices;
  values: VerifyValues;
  errors?: Record<string, string[]>;
}) {
  const { t, locale } = usePage();
  const e = props.errors ?? {};
  const v = props.values;
  const sourceError = e.source ?? e.vm_backup ?? e.ovf_export;
  return (
    <Dialog testid="verify-dialog" title={t('surebackup.dialog_title')}>
      {props.choices.backups.length + props.choices.exports.length === 0 ? (
        <p>{t('surebackup.no_backup')}</p>
      ) : (
        <form hx-post="/surebackup/verify" hx-target="#modal" hx-swap="innerHTML">
          {e._ && (
            <p class="form-error" role="alert">
              {e._[0]}
            </p>
          )}
          <label>
            {t('surebackup.backup')}
            <select name="source" aria-invalid={sourceError ? 'true' : undefined}>
              <optgroup label={t('surebackup.source_backups')}>
                {props.choices.backups.map((b) => (
                  <option value={`vm_backup:${b.id}`} selected={`vm_backup:${b.id}` === v.source}>
                    {b.vm_name} — {formatDate(b.created_at, locale, '')}
                  </option>
                ))}
              </optgroup>
              {props.choices.exports.length > 0 && (
                <optgroup label={t('surebackup.source_exports')}>
                  {props.choices.exports.map((x) => (
                    <option value={`ovf_export:${x.id}`} selected={`ovf_export:${x.id}` === v.source}>
                      {x.vm_name} — {x.format.toUpperCase()} {formatDate(x.created_at, locale, '')}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
            {sourceError && <small class="field-error">{sourceError[0]}</small>}
          </label>
          <label>
            {t('surebackup.server')}
            <select
              name="esxi_server"
              hx-get="/surebackup/verify-datastores"
              hx-target="#verify-datastore"
              hx-swap="outerHTML"
              hx-trigger="change"
            >
              {props.choices.servers.map((s) => (
                <option value={String(s.id)} selected={s.id === v.esxi_server}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <TestDatastoreSelect
            datastores={props.choices.datastores}
            selected={v.test_datastore}
            error={e.test_datastore}
          />
          <Field
            name="test_network"
            label={t('surebackup.network')}
            value={v.test_network ?? 'VM Network Isolated'}
            error={e.test_network}
            help={t('surebackup.network_help')}
            required
          />
          <label>
            {t('surebackup.test_type')}
            <select name="test_type">
              {TEST_TYPES.map((type) => (
                <option value={type} selected={type === (v.test_type ?? 'boot')}>
                  {t(`surebackup.type.${type}`)}
                </option>
              ))}
            </select>
          </label>
          <Field
            name="services"
            label={t('surebackup.services')}
            value={v.services ?? ''}
            error={e.services}
            help={t('surebackup.services_help')}
          />
          <DialogFormActions submitLabel={t('surebackup.verify_now')} submitTestid="verify-submit" />
        </form>
      )}
    </Dialog>
  );
}

/** The verification's test datastore field, swapped when another test host is chosen. */
export function TestDatastoreSelect(props: {
  datastores: DatastoreChoice[];
  selected?: string;
  error?: string[];
}) {
  const { t } = usePage();
  return (
    <DatastoreSelect
      id="verify-datastore"
      name="test_datastore"
      label={t('surebackup.datastore')}
      {...props}
    />
  );
}
