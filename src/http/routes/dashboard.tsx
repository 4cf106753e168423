/** @module http/routes/dashboard: `/` and the pages of features still to come. */
import { Hono } from 'hono';
import { DashboardPage } from '../../../views/dashboard.js';
import { PlaceholderPage } from '../../../views/placeholder.js';
import { listServers } from '../../db/esxi-servers.js';
import { inventoryCounts } from '../../db/inventory.js';
import type { MessageKey } from '../../i18n/messages.js';
import type { AppEnv } from '../context.js';
import { render } from '../render.js';

const UPCOMING: Array<[string, MessageKey]> = [['/settings', 'nav.settings']];

export const dashboardRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const { db } = c.get('deps');
  const [servers, counts] = await Promise.all([listServers(db), inventoryCounts(db)]);
  return render(c, <DashboardPage servers={servers} counts={counts} />);
});

for (const [path, key] of UPCOMING) {
  dashboardRoutes.get(path, (c) => render(c, <PlaceholderPage title={c.get('t')(key)} />));
}
