/** @module views/servers/form: add or edit an ESXi server; connection failures show beside the field at fault. */
import { CsrfField } from '../components/csrf.js';
import { Field } from '../components/field.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';

export interface ServerFormValues {
  name?: string;
  hostname?: string;
  port?: string | number;
  protocol?: string;
  username?: string;
  is_active?: boolean | string;
}

export function ServerFormPage(props: {
  action: string;
  values: ServerFormValues;
  errors?: Record<string, string[]>;
  editing: boolean;
}) {
  const { t } = usePage();
  const v = props.values;
  const e = props.errors ?? {};
  return (
    <Layout title={props.editing ? t('servers.edit') : t('servers.add')}>
      <form method="post" action={props.action} class="narrow-form" data-testid="server-form">
        <CsrfField />
        {e._ && (
          <p class="form-error" role="alert" data-testid="form-error">
            {e._[0]}
          </p>
        )}
        <Field name="name" label={t('servers.name')} value={v.name} error={e.name} required />
        <div class="grid">
          <Field
            name="hostname"
            label={t('servers.hostname')}
            value={v.hostname}
            error={e.hostname}
            required
          />
          <Field
            name="port"
            label={t('servers.port')}
            type="number"
            value={v.port ?? 443}
            error={e.port}
            required
          />
          <label for="field-protocol">
            {t('servers.protocol')}
            <select id="field-protocol" name="protocol">
              <option value="https" selected={v.protocol !== 'http'}>
                HTTPS
              </option>
              <option value="http" selected={v.protocol === 'http'}>
                HTTP
              </option>
            </select>
          </label>
        </div>
        <Field
          name="username"
          label={t('servers.username')}
          value={v.username ?? 'root'}
          error={e.username}
          required
        />
        <Field
          name="password"
          label={t('servers.password')}
          type="password"
          error={e.password}
          required={!props.editing}
          autocomplete="new-password"
          help={props.editing ? t('servers.password_keep') : undefined}
        />
        <input type="hidden" name="is_active" value="false" />
        <label>
          <input
            type="checkbox"
            name="is_active"
            role="switch"
            aria-checked={v.is_active !== false && v.is_active !== 'false'}
            checked={v.is_active !== false && v.is_active !== 'false'}
          />
          {t('servers.is_active')}
        </label>
        <div class="form-actions">
          <button type="submit">{t('common.save')}</button>
          <a href="/servers/" role="button" class="secondary outline">
            {t('common.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}
