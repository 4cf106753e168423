/**
 * @module views/backup-jobs/form: the page that creates or edits a backup job: name and description, the
 * selection (VMs, hosts, include and exclude patterns, skip powered-off) with the preview of the VMs it selects
 * now, the storage path, retention, options, and the schedule (<ScheduleFields> with its live preview).
 * A failed save shows the page again with each error beside its field. Field names: src/backup-jobs/form.ts.
 */

import type { JobFormValues } from '../../src/backup-jobs/form.js';
import type { Selection } from '../../src/backup-jobs/index.js';
import { RETENTION_OPTIONS } from '../../src/db/schema.js';
import { CsrfField } from '../components/csrf.js';
import { Field } from '../components/field.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { ScheduleFields } from '../schedule/fields.js';
import { SelectionPreview } from './preview.js';

export interface JobFormChoices {
  vms: Array<{ id: number; name: string; server_name: string }>;
  servers: Array<{ id: number; name: string }>;
  storagePaths: Array<{ id: number; name: string }>;
}

type Errors = Record<string, string[]> | undefined;
const text = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const has = (v: string | string[] | undefined, item: string) =>
  Array.isArray(v) ? v.includes(item) : v === item;

function Check(props: { name: string; label: string; values: JobFormValues; value?: string }) {
  const value = props.value ?? 'on';
  return (
    <label>
      <input type="checkbox" name={props.name} value={value} checked={has(props.values[props.name], value)} />
      {props.label}
    </label>
  );
}

function FieldError(props: { errors: Errors; name: string }) {
  const first = props.errors?.[props.name]?.[0];
  return first ? (
    <small class="field-error" data-testid={`error-${props.name}`}>
      {first}
    </small>
  ) : null;
}

function SelectionFields(props: { values: JobFormValues; errors: Errors; choices: JobFormChoices }) {
  const { t } = usePage();
  const { values, errors, choices } = props;
  return (
    <fieldset
      data-testid="selection-fields"
      hx-get="/backup-jobs/selection"
      hx-trigger="change, input delay:400ms"
      hx-include="closest form"
      hx-target="#selection-preview"
      hx-swap="outerHTML"
    >
      <legend>{t('backup_jobs.selection')}</legend>
      <details open={choices.vms.length <= 20}>
        <summary>{t('backup_jobs.form.vms')}</summary>
        {choices.vms.map((vm) => (
          <Check
            name="virtual_machines"
            value={String(vm.id)}
            values={values}
            label={`${vm.name} (${vm.server_name})`}
          />
        ))}
      </details>
      <FieldError errors={errors} name="virtual_machines" />
      <p>{t('backup_jobs.form.hosts')}</p>
      {choices.servers.map((s) => (
        <Check name="esxi_servers" value={String(s.id)} values={values} label={s.name} />
      ))}
      <FieldError errors={errors} name="esxi_servers" />
      <div class="grid">
        <label>
          {t('backup_jobs.form.include')}
          <textarea name="include_patterns" rows={2} data-testid="include-patterns">
            {text(values.include_patterns)}
          </textarea>
          <FieldError errors={errors} name="include_patterns" />
        </label>
        <label>
          {t('backup_jobs.form.exclude')}
          <textarea name="exclude_patterns" rows={2} data-testid="exclude-patterns">
            {text(values.exclude_patterns)}
          </textarea>
          <FieldError errors={errors} name="exclude_patterns" />
        </label>
      </div>
      <Check name="skip_powered_off" values={values} label={t('backup_jobs.form.skip_powered_off')} />
    </fieldset>
  );
}

function OptionFields(props: { values: JobFormValues; errors: Errors; choices: JobFormChoices }) {
  const { t } = usePage();
  const { values, errors } = props;
  const number = (name: string, label: string) => (
    <Field name={name} label={label} type="number" value={text(values[name])} error={errors?.[name]} />
  );
  return (
    <>
      <label>
        {t('backup_jobs.form.storage_path')}
        <select name="storage_path">
          <option value="">{t('backup_jobs.form.storage_default')}</option>
          {props.choices.storagePaths.map((p) => (
            <option value={String(p.id)} selected={text(values.storage_path) === String(p.id)}>
              {p.name}
            </option>
          ))}
        </select>
        <FieldError errors={errors} name="storage_path" />
      </label>
      <fieldset>
        <legend>{t('backup_jobs.form.retention')}</legend>
        <div class="grid">{RETENTION_OPTIONS.map((o) => number(`retention_${o}`, t(`retention.${o}`)))}</div>
        <FieldError errors={errors} name="retention" />
      </fieldset>
      <fieldset>
        <legend>{t('backup_jobs.form.options')}</legend>
        <Check name="quiesce" values={values} label={t('backup_jobs.form.quiesce')} />
        <Check name="use_change_tracking" values={values} label={t('backup_jobs.form.use_cbt')} />
        <div class="grid">
          {number('max_parallel_vms', t('backup_jobs.form.max_parallel'))}
          {number('retry_count', t('backup_jobs.form.retry_count'))}
          {number('retry_delay_seconds', t('backup_jobs.form.retry_delay'))}
        </div>
      </fieldset>
    </>
  );
}

export function BackupJobFormPage(props: {
  id?: number | undefined;
  values: JobFormValues;
  errors?: Errors;
  choices: JobFormChoices;
  selection: Selection | null;
}) {
  const { t } = usePage();
  const { values, errors } = props;
  const title = props.id
    ? t('backup_jobs.form.edit_title', { name: text(values.name) })
    : t('backup_jobs.new');
  const flat = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, text(v)]));
  return (
    <Layout title={title}>
      <form
        method="post"
        action={props.id ? `/backup-jobs/${props.id}` : '/backup-jobs/'}
        data-testid="backup-job-form"
      >
        <CsrfField />
        {errors?._ && <p class="field-error">{errors._[0]}</p>}
        <Field
          name="name"
          label={t('backup_jobs.name')}
          value={text(values.name)}
          error={errors?.name}
          required
        />
        <Field name="description" label={t('backup_jobs.description')} value={text(values.description)} />
        <div class="grid">
          <SelectionFields values={values} errors={errors} choices={props.choices} />
          <SelectionPreview selection={props.selection} />
        </div>
        <OptionFields values={values} errors={errors} choices={props.choices} />
        <fieldset>
          <legend>{t('backup_jobs.schedule')}</legend>
          <Check name="scheduled" values={values} label={t('backup_jobs.form.scheduled')} />
          <ScheduleFields values={flat} error={errors?.schedule} />
          <Check name="is_active" values={values} label={t('backup_jobs.form.is_active')} />
        </fieldset>
        <button type="submit" data-testid="save-backup-job">
          {t(props.id ? 'backup_jobs.form.save' : 'backup_jobs.form.create')}
        </button>
      </form>
    </Layout>
  );
}
