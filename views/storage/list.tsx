/**
 * @module views/storage/list: backup destinations, with free space and their repository's sizes, verify and
 * GC, and the form to add one (optionally encrypted: passphrase typed twice, with the warning that losing it
 * loses the backups).
 */
import type { StoragePathJson } from '../../src/http/api/storage-paths-json.js';
import { CsrfField } from '../components/csrf.js';
import { Field } from '../components/field.js';
import { formatBytes } from '../components/format.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { MasterKeyPanel } from './master-key.js';
import { RepositoryButtons, RepositoryCells } from './repository-cells.js';

export type StoragePathView = StoragePathJson;

export function StoragePathsPage(props: {
  paths: StoragePathView[];
  values?: Record<string, string>;
  errors?: Record<string, string[]>;
  /** The master key of the encrypted repository just created (shown in this answer only). */
  created?: { name: string; keyHex: string };
}) {
  const { t } = usePage();
  const v = props.values ?? {};
  const e = props.errors ?? {};
  return (
    <Layout title={t('storage.title')}>
      {props.created && <MasterKeyPanel name={props.created.name} keyHex={props.created.keyHex} />}
      {props.paths.length === 0 ? (
        <p class="muted">{t('storage.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table data-testid="storage-paths-table">
            <thead>
              <tr>
                <th>{t('common.name')}</th>
                <th>{t('storage.path')}</th>
                <th>{t('storage.encrypted')}</th>
                <th>{t('storage.logical')}</th>
                <th>{t('storage.physical')}</th>
                <th>{t('storage.ratio')}</th>
                <th>{t('storage.chunks')}</th>
                <th>{t('storage.last_verify')}</th>
                <th>{t('storage.last_gc')}</th>
                <th>{t('datastores.free')}</th>
                <th>{t('servers.is_active')}</th>
                <th>{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {props.paths.map((p) => (
                <tr data-testid={`storage-path-${p.id}`}>
                  <td>{p.name}</td>
                  <td>
                    <code>{p.path}</code>
                  </td>
                  <td>{p.encrypted ? t('common.yes') : t('common.no')}</td>
                  <RepositoryCells path={p} />
                  <td>
                    {p.free_bytes === null
                      ? '—'
                      : `${formatBytes(p.free_bytes)} / ${formatBytes(p.capacity_bytes ?? 0)}`}
                  </td>
                  <td>{p.is_active ? t('common.yes') : t('common.no')}</td>
                  <td>
                    <RepositoryButtons path={p} />{' '}
                    <form
                      method="post"
                      action={`/storage-paths/${p.id}/delete`}
                      class="inline"
                      data-confirm={t('common.confirm_delete', { name: p.name })}
                    >
                      <CsrfField />
                      <button type="submit" class="contrast outline small">
                        {t('common.delete')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('storage.add')}</h2>
      <form method="post" action="/storage-paths/" class="narrow-form">
        <CsrfField />
        <Field name="name" label={t('common.name')} value={v.name} error={e.name} required />
        <Field
          name="path"
          label={t('storage.path')}
          value={v.path}
          error={e.path}
          required
          placeholder="/srv/backups"
        />
        <Field
          name="description"
          label={t('storage.description')}
          value={v.description}
          error={e.description}
        />
        <fieldset>
          <label>
            <input
              type="checkbox"
              name="encrypted"
              checked={v.encrypted === 'on' || v.encrypted === 'true'}
            />{' '}
            {t('storage.encrypt')}
          </label>
          {e.encrypted && (
            <small class="field-error" data-testid="error-encrypted">
              {e.encrypted[0]}
            </small>
          )}
          <p class="muted" data-testid="encryption-warning">
            {t('storage.encryption_warning')}
          </p>
          <Field
            name="passphrase"
            type="password"
            label={t('storage.passphrase')}
            error={e.passphrase}
            autocomplete="new-password"
          />
          <Field
            name="passphrase_confirm"
            type="password"
            label={t('storage.passphrase_confirm')}
            error={e.passphrase_confirm}
            autocomplete="new-password"
          />
        </fieldset>
        <button type="submit">{t('common.save')}</button>
      </form>
    </Layout>
  );
}
