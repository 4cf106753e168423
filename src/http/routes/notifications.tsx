/**
 * @module http/routes/notifications: the Notifications page. Everyone signed in reads the channels and the
 * recent deliveries; admins add, edit and delete channels (a refused form shows again with its field messages)
 * and "send a test", whose fragment says in place what the server answered or why it failed.
 */
import { type Context, Hono } from 'hono';
import { DeliveriesTable } from '../../../views/notifications/deliveries.js';
import { type ChannelItem, NotificationsPage } from '../../../views/notifications/page.js';
import { deleteChannel, insertChannel, listChannels, updateChannel } from '../../db/notification-channels.js';
import { listDeliveries } from '../../db/notification-outbox.js';
import { AppError, InvalidInputError } from '../../errors.js';
import {
  type ChannelFormValues,
  channelFromForm,
  channelToForm,
  formErrors,
  newChannelForm,
} from '../../notifications/channel-form.js';
import { channelColumns, channelJson, channelSchema } from '../../notifications/index.js';
import { idParam } from '../api/ids.js';
import { channelOr404, testChannel } from '../api/notification-channels.js';
import { deliveryJson } from '../api/notification-deliveries.js';
import type { AppEnv } from '../context.js';
import { redirectWithFlash } from '../flash.js';
import { hasRole, requireRole } from '../middleware/auth.js';
import { render } from '../render.js';
import { renderFields, zodLocale } from '../validation.js';

type FormState = Parameters<typeof NotificationsPage>[0]['form'];

async function page(c: Context<AppEnv>, form?: FormState, status: 200 | 400 = 200) {
  const deps = c.get('deps');
  const channels: ChannelItem[] = (await listChannels(deps.db)).map((r) => channelJson(deps, r));
  const deliveries = (await listDeliveries(deps.db, { limit: 100 })).map((d) => deliveryJson(c.get('t'), d));
  const admin = hasRole(c, 'admin');
  const fallback = {
    action: '/notifications/channels',
    title: c.get('t')('notify.channel.new'),
    values: newChannelForm(),
  };
  return render(
    c,
    <NotificationsPage channels={channels} deliveries={deliveries} admin={admin} form={form ?? fallback} />,
    status,
  );
}

/** Saves a submitted form (new when `id` is undefined); a refusal shows the form again with its errors. */
async function save(c: Context<AppEnv>, id?: number) {
  const deps = c.get('deps');
  const t = c.get('t');
  const current = id === undefined ? undefined : await channelOr404(deps.db, id);
  const raw = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
  const values = Object.fromEntries(Object.entries(raw).filter(([k]) => k !== '_csrf')) as ChannelFormValues;
  const action = current ? `/notifications/channels/${current.id}` : '/notifications/channels';
  const title = current ? t('notify.channel.edit', { name: current.name }) : t('notify.channel.new');
  const saved = current ? savedFlags(c, current) : undefined;
  const body = channelFromForm(raw);
  const error = zodLocale(c);
  const parsed = channelSchema.safeParse(body, error ? { error } : undefined);
  if (!parsed.success)
    return page(
      c,
      { action, title, values, saved, errors: formErrors(t, String(body.kind), parsed.error) },
      400,
    );
  try {
    const columns = await channelColumns(deps, parsed.data, current);
    if (current) await updateChannel(deps.db, current.id, columns);
    else await insertChannel(deps.db, columns);
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    return page(c, { action, title, values, saved, errors: renderFields(t, err.fields ?? {}) }, 400);
  }
  return redirectWithFlash(
    c,
    '/notifications/',
    'success',
    t('notify.channel.saved', { name: parsed.data.name }),
  );
}

function savedFlags(c: Context<AppEnv>, row: Parameters<typeof channelJson>[1]) {
  const { config } = channelJson(c.get('deps'), row);
  const flags = config as unknown as Record<string, boolean>;
  return { password: !!flags.has_password, secret: !!flags.has_secret, token: !!flags.has_token };
}

export const notificationRoutes = new Hono<AppEnv>()
  .get('/', (c) => page(c))
  .get('/deliveries', async (c) => {
    const rows = await listDeliveries(c.get('deps').db, { limit: 100 });
    return render(c, <DeliveriesTable deliveries={rows.map((d) => deliveryJson(c.get('t'), d))} />);
  })
  .use('/channels/*', requireRole('admin'))
  .post('/channels', (c) => save(c))
  .get('/channels/:id/edit', async (c) => {
    const row = await channelOr404(c.get('deps').db, idParam(c));
    const title = c.get('t')('notify.channel.edit', { name: row.name });
    return page(c, {
      action: `/notifications/channels/${row.id}`,
      title,
      values: channelToForm(row),
      saved: savedFlags(c, row),
    });
  })
  .post('/channels/:id', (c) => save(c, idParam(c)))
  .post('/channels/:id/delete', async (c) => {
    await deleteChannel(c.get('deps').db, idParam(c));
    return redirectWithFlash(c, '/notifications/', 'success', c.get('t')('notify.channel.deleted'));
  })
  .post('/channels/:id/test', async (c) => {
    const t = c.get('t');
    try {
      const response = await testChannel(c.get('deps'), idParam(c));
      return render(
        c,
        <span class="ok" data-testid="test-answer">
          {t('notify.channel.test_ok', { response })}
        </span>,
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'notification_test_failed') throw err;
      const response = (err.extra?.response as string | null) ?? '';
      const text = t('notify.channel.test_failed', { error: t.message(err.detail) });
      return render(
        c,
        <span class="field-error" data-testid="test-answer">
          {response && !text.includes(response) ? `${text} (${response})` : text}
        </span>,
      );
    }
  });
