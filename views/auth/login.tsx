/** @module views/auth/login: the sign-in form and the first-admin form. */
import { Field } from '../components/field.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';

export function LoginPage(props: { username?: string; error?: string; next?: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('auth.login.title')}>
      <article>
        <h1>{t('app.name')}</h1>
        <h2>{t('auth.login.title')}</h2>
        {props.error && (
          <p class="form-error" role="alert" data-testid="login-error">
            {props.error}
          </p>
        )}
        <form method="post" action="/login">
          <input type="hidden" name="next" value={props.next ?? '/'} />
          <Field
            name="username"
            label={t('auth.username')}
            value={props.username}
            required
            autocomplete="username"
          />
          <Field
            name="password"
            label={t('auth.password')}
            type="password"
            required
            autocomplete="current-password"
          />
          <button type="submit">{t('auth.login.submit')}</button>
        </form>
      </article>
    </Layout>
  );
}

export function SetupPage(props: { username?: string; errors?: Record<string, string[]> }) {
  const { t } = usePage();
  return (
    <Layout title={t('auth.setup.title')}>
      <article>
        <h1>{t('app.name')}</h1>
        <h2>{t('auth.setup.title')}</h2>
        <p>{t('auth.setup.intro')}</p>
        <form method="post" action="/setup">
          <Field
            name="username"
            label={t('auth.username')}
            value={props.username}
            error={props.errors?.username}
            required
            autocomplete="username"
          />
          <Field
            name="password"
            label={t('auth.password')}
            type="password"
            error={props.errors?.password}
            required
            autocomplete="new-password"
          />
          <Field
            name="password_confirm"
            label={t('auth.password_confirm')}
            type="password"
            error={props.errors?.password_confirm}
            required
            autocomplete="new-password"
          />
          <button type="submit">{t('auth.setup.submit')}</button>
        </form>
      </article>
    </Layout>
  );
}
