/**
 * @module views/notifications/channel-form: the form of a channel (new or edited): name, kind, language,
 * events, the e-mail and the webhook settings (only the chosen kind's are shown, by CSS; the kind decides which are used), the daily
 * summary's time, zone and attachments. Secrets are never shown: a saved one says so, with a box to clear it.
 */
import { NOTIFICATION_EVENTS } from '../../src/db/schema.js';
import type { ChannelFormValues } from '../../src/notifications/channel-form.js';
import { SMTP_SECURITY, WEBHOOK_FORMATS } from '../../src/notifications/index.js';
import { CsrfField } from '../components/csrf.js';
import { Field } from '../components/field.js';
import { usePage } from '../page-context.js';
import { Secret, Select } from './inputs.js';

export function ChannelForm(props: {
  action: string;
  values: ChannelFormValues;
  errors?: Record<string, string[]>;
  saved?: { password: boolean; secret: boolean; token: boolean };
}) {
  const { t } = usePage();
  const v = (name: string) => {
    const value = props.values[name];
    return Array.isArray(value) ? value.join('\n') : value;
  };
  const e = props.errors ?? {};
  const events = [props.values.events ?? []].flat();
  return (
    <form method="post" action={props.action} class="narrow-form channel-form" data-testid="channel-form">
      <CsrfField />
      {e._ && <p class="field-error">{e._[0]}</p>}
      <Field name="name" label={t('notify.channel.name')} value={v('name')} error={e.name} required />
      <Select
        name="kind"
        label={t('notify.channel.kind')}
        value={v('kind')}
        error={e.kind}
        options={[
          ['email', t('notify.kind.email')],
          ['webhook', t('notify.kind.webhook')],
        ]}
      />
      <Select
        name="language"
        label={t('notify.channel.language')}
        value={v('language')}
        error={e.language}
        options={[
          ['fr', t('notify.language.fr')],
          ['en', t('notify.language.en')],
        ]}
      />
      <fieldset>
        <legend>{t('notify.channel.events')}</legend>
        {NOTIFICATION_EVENTS.map((event) => (
          <label>
            <input type="checkbox" name="events" value={event} checked={events.includes(event)} />{' '}
            {t(`notify.event.${event}`)}
          </label>
        ))}
        {e.events && <small class="field-error">{e.events[0]}</small>}
      </fieldset>
      <label>
        <input type="checkbox" name="is_active" checked={v('is_active') === 'on'} />{' '}
        {t('notify.channel.active')}
      </label>
      <fieldset data-testid="email-settings">
        <legend>{t('notify.kind.email')}</legend>
        <Field name="email_host" label={t('notify.smtp.host')} value={v('email_host')} error={e.email_host} />
        <Field
          name="email_port"
          type="number"
          label={t('notify.smtp.port')}
          value={v('email_port')}
          error={e.email_port}
        />
        <Select
          name="email_security"
          label={t('notify.smtp.security')}
          value={v('email_security')}
          error={e.email_security}
          options={SMTP_SECURITY.map((s) => [s, t(`notify.security.${s}`)])}
        />
        <Field
          name="email_username"
          label={t('notify.smtp.username')}
          value={v('email_username')}
          error={e.email_username}
          autocomplete="off"
        />
        <Secret
          name="email_password"
          label={t('notify.smtp.password')}
          saved={!!props.saved?.password}
          error={e.email_password}
        />
        <Field
          name="email_from"
          type="email"
          label={t('notify.smtp.from')}
          value={v('email_from')}
          error={e.email_from}
        />
        <label for="field-email_to">
          {t('notify.smtp.to')}
          <textarea id="field-email_to" name="email_to" rows={2}>
            {v('email_to')}
          </textarea>
          {e.email_to && (
            <small class="field-error" data-testid="error-email_to">
              {e.email_to[0]}
            </small>
          )}
        </label>
        <label for="field-email_ca_certificate">
          {t('notify.smtp.ca')}
          <textarea id="field-email_ca_certificate" name="email_ca_certificate" rows={2}>
            {v('email_ca_certificate')}
          </textarea>
        </label>
      </fieldset>
      <fieldset data-testid="webhook-settings">
        <legend>{t('notify.kind.webhook')}</legend>
        <Field
          name="webhook_url"
          type="url"
          label={t('notify.webhook.url')}
          value={v('webhook_url')}
          error={e.webhook_url}
          placeholder="https://hooks.example.org/ebm"
        />
        <Select
          name="webhook_format"
          label={t('notify.webhook.format')}
          value={v('webhook_format')}
          error={e.webhook_format}
          options={WEBHOOK_FORMATS.map((f) => [f, t(`notify.format.${f}`)])}
        />
        <Secret
          name="webhook_secret"
          label={t('notify.webhook.secret')}
          saved={!!props.saved?.secret}
          error={e.webhook_secret}
        />
        <Secret
          name="webhook_token"
          label={t('notify.webhook.token')}
          saved={!!props.saved?.token}
          error={e.webhook_token}
        />
      </fieldset>
      <fieldset>
        <legend>{t('notify.event.daily_summary')}</legend>
        <Field
          name="summary_time"
          type="time"
          label={t('notify.summary.time')}
          value={v('summary_time')}
          error={e.summary_time}
        />
        <Field
          name="summary_timezone"
          label={t('notify.summary.timezone')}
          value={v('summary_timezone')}
          error={e.summary_timezone}
        />
        <label>
          <input type="checkbox" name="attach_reports" checked={v('attach_reports') === 'on'} />{' '}
          {t('notify.summary.attach')}
        </label>
      </fieldset>
      <button type="submit">{t('notify.channel.save')}</button>{' '}
      <a href="/notifications/" role="button" class="secondary outline">
        {t('notify.channel.cancel')}
      </a>
    </form>
  );
}
