/** @module views/storage/list: backup destinations, with free space, and the form to add one. */
import type { StoragePathRow } from '../../src/db/storage-paths.js';
import { CsrfField } from '../components/csrf.js';
import { Field } from '../components/field.js';
import { formatBytes } from '../components/format.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';

export type StoragePathView = StoragePathRow & { free_bytes: number | null; capacity_bytes: number | null };

export function StoragePathsPage(props: {
  paths: StoragePathView[];
  values?: Record<string, string>;
  errors?: Record<string, string[]>;
}) {
  const { t } = usePage();
  const v = props.values ?? {};
  const e = props.errors ?? {};
  return (
    <Layout title={t('storage.title')}>
      {props.paths.length === 0 ? (
        <p class="muted">{t('storage.empty')}</p>
      ) : (
        <table data-testid="storage-paths-table">
          <thead>
            <tr>
              <th>{t('common.name')}</th>
              <th>{t('storage.path')}</th>
              <th>{t('datastores.free')}</th>
              <th>{t('servers.is_active')}</th>
              <th>{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.paths.map((p) => (
              <tr>
                <td>{p.name}</td>
                <td>
                  <code>{p.path}</code>
                </td>
                <td>
                  {p.free_bytes === null
                    ? '—'
                    : `${formatBytes(p.free_bytes)} / ${formatBytes(p.capacity_bytes ?? 0)}`}
                </td>
                <td>{p.is_active ? t('common.yes') : t('common.no')}</td>
                <td>
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
        <button type="submit">{t('common.save')}</button>
      </form>
    </Layout>
  );
}
