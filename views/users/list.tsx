/** @module views/users/list: the users admin page: roles, activation, and the form to add one. */

import { ROLES } from '../../src/db/schema.js';
import type { listUsers } from '../../src/db/users.js';
import { CsrfField } from '../components/csrf.js';
import { Field } from '../components/field.js';
import { formatDate } from '../components/format.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';

type UserRow = Awaited<ReturnType<typeof listUsers>>[number];

export function UsersPage(props: {
  users: UserRow[];
  values?: Record<string, string>;
  errors?: Record<string, string[]>;
}) {
  const { t, locale, user: me } = usePage();
  const v = props.values ?? {};
  const e = props.errors ?? {};
  return (
    <Layout title={t('users.title')}>
      <table data-testid="users-table">
        <thead>
          <tr>
            <th>{t('auth.username')}</th>
            <th>{t('users.role')}</th>
            <th>{t('users.active')}</th>
            <th>{t('users.last_login')}</th>
            <th>{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {props.users.map((u) => (
            <tr data-testid="user-row">
              <td>{u.username}</td>
              <td>{t(`role.${u.role}`)}</td>
              <td>{u.is_active ? t('common.yes') : t('common.no')}</td>
              <td>{formatDate(u.last_login_at, locale, t('common.never'))}</td>
              <td>
                {u.id !== me?.id && (
                  <form method="post" action={`/users/${u.id}`} class="inline-form">
                    <CsrfField />
                    <select name="role" aria-label={t('users.role')}>
                      {ROLES.map((r) => (
                        <option value={r} selected={r === u.role}>
                          {t(`role.${r}`)}
                        </option>
                      ))}
                    </select>
                    <input type="hidden" name="is_active" value={String(u.is_active)} />
                    <button type="submit" class="secondary outline small">
                      {t('common.save')}
                    </button>
                    <button
                      type="submit"
                      name="is_active"
                      value={String(!u.is_active)}
                      class="contrast outline small"
                    >
                      {u.is_active ? t('users.deactivate') : t('users.activate')}
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('users.add')}</h2>
      <form method="post" action="/users/" class="narrow-form">
        <CsrfField />
        <Field name="username" label={t('auth.username')} value={v.username} error={e.username} required />
        <Field
          name="password"
          label={t('auth.password')}
          type="password"
          error={e.password}
          required
          autocomplete="new-password"
        />
        <label>
          {t('users.role')}
          <select name="role">
            {ROLES.map((r) => (
              <option value={r} selected={r === (v.role ?? 'viewer')}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('users.add')}</button>
      </form>
    </Layout>
  );
}
