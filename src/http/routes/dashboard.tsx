/** @module http/routes/dashboard: `/` (the dashboard) and `/settings` (the effective settings, read-only). */
import { Hono } from 'hono';
import { DashboardPage } from '../../../views/dashboard.js';
import { SettingsPage } from '../../../views/settings.js';
import { vmProtection } from '../../backup-jobs/index.js';
import { protectionSummary } from '../../db/dashboard.js';
import { listServers } from '../../db/esxi-servers.js';
import { inventoryCounts, listVirtualMachines } from '../../db/inventory.js';
import { appVersion } from '../../version.js';
import type { AppEnv } from '../context.js';
import { render } from '../render.js';

export const dashboardRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { db } = c.get('deps');
    const [servers, counts, protection, covered, vms] = await Promise.all([
      listServers(db),
      inventoryCounts(db),
      protectionSummary(db),
      vmProtection(db),
      listVirtualMachines(db),
    ]);
    const coverage = {
      unprotected: vms.rows.filter((r) => !covered.has(r.vm.id)).map((r) => r.vm),
      rpoMissed: vms.rows.filter((r) => covered.get(r.vm.id)?.rpo_met === false).map((r) => r.vm.name),
    };
    return render(
      c,
      <DashboardPage servers={servers} counts={counts} protection={protection} coverage={coverage} />,
    );
  })
  .get('/settings', (c) => {
    const { config, databaseKind } = c.get('deps');
    const location = databaseKind === 'pglite' ? `${config.dataDir}/pg` : redactUrl(config.databaseUrl ?? '');
    return render(
      c,
      <SettingsPage config={config} database={{ kind: databaseKind, location }} version={appVersion()} />,
    );
  });

/** A postgres:// URL without its password. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return `${u.host}${u.pathname}`;
  } catch {
    return '';
  }
}
