/**
 * @module views/notifications/page: the Notifications page: the channels (kind, destination, language,
 * events; edit, "send a test" answering in place what the server said, delete, for admins), the form of a new
 * or edited channel (admins), and the recent deliveries.
 */

import type { ChannelFormValues } from '../../src/notifications/channel-form.js';
import type { channelJson } from '../../src/notifications/channels.js';
import { CsrfField } from '../components/csrf.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';
import { ChannelForm } from './channel-form.js';
import { DeliveriesTable, type DeliveryItem } from './deliveries.js';

export type ChannelItem = ReturnType<typeof channelJson>;

function target(c: ChannelItem): string {
  return c.kind === 'email' ? (c.config.to ?? []).join(', ') : (c.config.url ?? '');
}

function ChannelRow(props: { c: ChannelItem; admin: boolean }) {
  const { t } = usePage();
  const { c } = props;
  return (
    <tr data-testid={`channel-${c.id}`}>
      <td>
        {c.name} {!c.is_active && <small class="muted">({t('notify.channel.inactive')})</small>}
      </td>
      <td>{t(`notify.kind.${c.kind}`)}</td>
      <td>
        <code>{target(c)}</code>
      </td>
      <td>{t(`notify.language.${c.language}`)}</td>
      <td>{c.events.map((e) => t(`notify.event.${e}`)).join(', ')}</td>
      {props.admin && (
        <td>
          <a href={`/notifications/channels/${c.id}/edit`} role="button" class="outline small">
            {t('common.edit')}
          </a>{' '}
          <button
            type="button"
            class="outline small"
            hx-post={`/notifications/channels/${c.id}/test`}
            hx-target={`#test-result-${c.id}`}
            hx-swap="innerHTML"
            data-testid={`test-${c.id}`}
          >
            {t('notify.channel.test')}
          </button>{' '}
          <form
            method="post"
            action={`/notifications/channels/${c.id}/delete`}
            class="inline"
            data-confirm={t('notify.channel.delete_confirm', { name: c.name })}
          >
            <CsrfField />
            <button type="submit" class="contrast outline small">
              {t('notify.channel.delete')}
            </button>
          </form>
          <div id={`test-result-${c.id}`} data-testid={`test-result-${c.id}`} />
        </td>
      )}
    </tr>
  );
}

export function NotificationsPage(props: {
  channels: ChannelItem[];
  deliveries: DeliveryItem[];
  admin: boolean;
  form?: {
    action: string;
    title: string;
    values: ChannelFormValues;
    errors?: Record<string, string[]>;
    saved?: { password: boolean; secret: boolean; token: boolean };
  };
}) {
  const { t } = usePage();
  return (
    <Layout title={t('notify.page.title')}>
      <p class="muted">{t('notify.page.intro')}</p>
      <h2>{t('notify.channels')}</h2>
      {props.channels.length === 0 ? (
        <p class="muted">{t('notify.channels.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table data-testid="channels-table">
            <thead>
              <tr>
                <th>{t('notify.channel.name')}</th>
                <th>{t('notify.channel.kind')}</th>
                <th>{t('notify.channel.target')}</th>
                <th>{t('notify.channel.language')}</th>
                <th>{t('notify.channel.events')}</th>
                {props.admin && <th>{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {props.channels.map((c) => (
                <ChannelRow c={c} admin={props.admin} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.admin && props.form && (
        <section id="channel-form">
          <h2>{props.form.title}</h2>
          <ChannelForm
            action={props.form.action}
            values={props.form.values}
            errors={props.form.errors}
            saved={props.form.saved}
          />
        </section>
      )}
      <h2>{t('notify.deliveries')}</h2>
      <DeliveriesTable deliveries={props.deliveries} />
    </Layout>
  );
}
