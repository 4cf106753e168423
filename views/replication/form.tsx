/**
 * @module views/replication/form: create or edit a replication; validation errors show in place under their
 * field (the form is swapped back with them). The source server is the VM's host.
 */
import { FAILOVER_MODES } from '../../src/db/schema.js';
import { Field } from '../components/field.js';
import { usePage } from '../page-context.js';

export interface ReplicationChoices {
  vms: Array<{ id: number; name: string; server_name: string }>;
  servers: Array<{ id: number; name: string }>;
  datastores: string[];
}

export type FormValues = Record<string, string | number | boolean | null | undefined>;

/** The form: `id` set to edit that replication; `errors` per field (`_` for the whole form). */
export function ReplicationForm(props: {
  id?: number;
  choices: ReplicationChoices;
  values: FormValues;
  errors?: Record<string, string[]>;
}) {
  const { t } = usePage();
  const e = props.errors ?? {};
  const v = props.values;
  const selectError = (name: string) =>
    e[name] && (
      <small class="field-error" data-testid={`error-${name}`}>
        {e[name][0]}
      </small>
    );
  return (
    <form
      id="replication-form"
      data-testid="replication-form"
      hx-post={props.id ? `/replication/${props.id}` : '/replication/'}
      hx-target="this"
      hx-swap="outerHTML"
    >
      <h2>{t(props.id ? 'replication.edit' : 'replication.new')}</h2>
      {e._ && (
        <p class="form-error" role="alert">
          {e._[0]}
        </p>
      )}
      <Field name="name" label={t('replication.name')} value={v.name as string} error={e.name} required />
      <div class="grid">
        <label>
          {t('replication.vm')}
          <select name="virtual_machine" aria-invalid={e.virtual_machine ? 'true' : undefined}>
            {props.choices.vms.map((vm) => (
              <option value={String(vm.id)} selected={String(vm.id) === String(v.virtual_machine)}>
                {vm.name} ({vm.server_name})
              </option>
            ))}
          </select>
          {selectError('virtual_machine')}
          {selectError('source_server')}
        </label>
        <label>
          {t('replication.destination')}
          <select name="destination_server" aria-invalid={e.destination_server ? 'true' : undefined}>
            {props.choices.servers.map((s) => (
              <option value={String(s.id)} selected={String(s.id) === String(v.destination_server)}>
                {s.name}
              </option>
            ))}
          </select>
          {selectError('destination_server')}
        </label>
      </div>
      <div class="grid">
        <label>
          {t('replication.datastore')}
          <input
            name="destination_datastore"
            list="replication-datastores"
            value={(v.destination_datastore as string) ?? ''}
            aria-invalid={e.destination_datastore ? 'true' : undefined}
            required
          />
          <datalist id="replication-datastores">
            {props.choices.datastores.map((d) => (
              <option value={d} />
            ))}
          </datalist>
          {selectError('destination_datastore')}
        </label>
        <Field
          name="replication_interval_minutes"
          type="number"
          label={t('replication.interval')}
          value={(v.replication_interval_minutes as number) ?? 15}
          error={e.replication_interval_minutes}
        />
      </div>
      <div class="grid">
        <label>
          {t('replication.mode')}
          <select name="failover_mode">
            {FAILOVER_MODES.map((m) => (
              <option value={m} selected={m === (v.failover_mode ?? 'manual')}>
                {t(`replication.mode.${m}`)}
              </option>
            ))}
          </select>
        </label>
        <Field
          name="auto_failover_threshold_minutes"
          type="number"
          label={t('replication.threshold')}
          value={(v.auto_failover_threshold_minutes as number) ?? 5}
          error={e.auto_failover_threshold_minutes}
        />
      </div>
      <label>
        <input type="checkbox" name="is_active" checked={v.is_active !== false && v.is_active !== 'false'} />{' '}
        {t('replication.is_active')}
      </label>
      <footer class="form-actions">
        <button type="submit" data-testid="save-replication">
          {t('replication.save')}
        </button>
        <button
          type="button"
          class="secondary outline"
          hx-get="/replication/form-closed"
          hx-target="#replication-form"
          hx-swap="outerHTML"
        >
          {t('common.cancel')}
        </button>
      </footer>
    </form>
  );
}
