/** @module views/layout: the page shell: sidebar, main area, toasts and the operations widget's slot. */
import type { Child } from 'hono/jsx';
import type { MessageKey } from '../src/i18n/messages.js';
import { CsrfField, CsrfHeaders } from './components/csrf.js';
import { Icon, type IconName } from './components/icon.js';
import { DbBackupButton, DbBackupSlot } from './db-backup/sidebar.js';
import { OperationsWidgetSlot } from './operations/widget.js';
import { usePage } from './page-context.js';

type NavItem = { href: string; key: MessageKey; icon: IconName };

const NAV: NavItem[] = [
  { href: '/', key: 'nav.dashboard', icon: 'layout-dashboard' },
  { href: '/servers/', key: 'nav.servers', icon: 'server' },
  { href: '/virtual-machines/', key: 'nav.vms', icon: 'monitor' },
  { href: '/datastores/', key: 'nav.datastores', icon: 'hard-drive' },
  { href: '/backups/', key: 'nav.backups', icon: 'archive' },
  { href: '/backup-jobs/', key: 'nav.backup_jobs', icon: 'calendar-clock' },
  { href: '/ovf-exports/', key: 'ovf.title', icon: 'package' },
  { href: '/replication/', key: 'nav.replication', icon: 'arrow-left-right' },
  { href: '/failover/', key: 'nav.failover', icon: 'zap' },
  { href: '/surebackup/', key: 'nav.surebackup', icon: 'shield-check' },
  { href: '/snapshot-schedules/', key: 'snapshot_schedules.title', icon: 'camera' },
  { href: '/notifications/', key: 'nav.notifications', icon: 'bell' },
  { href: '/settings/', key: 'nav.settings', icon: 'settings' },
];

const ADMIN_NAV: NavItem[] = [
  { href: '/storage-paths/', key: 'nav.storage_paths', icon: 'folder' },
  { href: '/users/', key: 'nav.users', icon: 'users' },
  { href: '/db-backups/', key: 'nav.db_backups', icon: 'database' },
];

function isCurrent(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path.startsWith(href);
}

/** A list of sidebar links, the current page's marked with `aria-current`. */
function NavList(props: { items: NavItem[]; id?: string }) {
  const { t, path } = usePage();
  return (
    <ul id={props.id}>
      {props.items.map((item) => (
        <li>
          <a href={item.href} aria-current={isCurrent(path, item.href) ? 'page' : undefined}>
            <Icon name={item.icon} /> {t(item.key)}
          </a>
        </li>
      ))}
    </ul>
  );
}

const HTMX_CONFIG = JSON.stringify({
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '400', swap: true, error: false },
    { code: '[45]..', swap: false, error: true },
  ],
});

/** A full page. @param props.title the page's heading and <title>. */
export function Layout(props: { title: string; children: Child }) {
  const { t, locale, user, flash } = usePage();
  return (
    <html lang={locale} data-theme="light">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${t('app.name')}`}</title>
        {/* htmx 2 swaps no 4xx by default: a form answered 400 is shown again with its field errors in place
            (error answers carry HX-Reswap: none, src/http/errors.tsx, so they still only toast). */}
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <link rel="stylesheet" href="/static/vendor/pico.min.css" />
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/vendor/htmx.min.js" defer />
        <script src="/static/app.js" defer />
      </head>
      <body {...CsrfHeaders()}>
        {user ? (
          <div class="shell">
            <aside class="sidebar" data-testid="sidebar">
              <a class="brand" href="/">
                {t('app.name')}
              </a>
              <nav>
                <NavList items={NAV} />
                {user.role === 'admin' && (
                  <>
                    <h6 class="nav-section">{t('nav.admin')}</h6>
                    <NavList items={ADMIN_NAV} id="admin-nav" />
                    <DbBackupButton />
                  </>
                )}
              </nav>
              <footer class="sidebar-footer">
                <small>
                  {t('nav.signed_in_as', { username: user.username, role: t(`role.${user.role}`) })}
                </small>
                <form method="post" action="/logout">
                  <CsrfField />
                  <button type="submit" class="secondary outline small">
                    {t('nav.logout')}
                  </button>
                </form>
                <a class="small" href={`/lang/${locale === 'fr' ? 'en' : 'fr'}`}>
                  {t('lang.switch')}
                </a>
              </footer>
            </aside>
            <main class="content">
              <h1>{props.title}</h1>
              {props.children}
            </main>
          </div>
        ) : (
          <main class="container narrow">{props.children}</main>
        )}
        <div id="toasts" class="toasts" aria-live="polite">
          {flash && (
            <div class={`toast toast-${flash.level}`} role="status">
              {flash.message}
            </div>
          )}
        </div>
        <OperationsWidgetSlot />
        <DbBackupSlot />
      </body>
    </html>
  );
}
