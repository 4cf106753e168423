/** @module views/servers/connection-badge: a server's connection state, with the last error as a tooltip. */
import type { EsxiServer } from '../../src/db/esxi-servers.js';
import { Badge } from '../components/status-badge.js';
import { usePage } from '../page-context.js';

export function ConnectionBadge({
  server,
}: {
  server: Pick<EsxiServer, 'connection_status' | 'last_error'>;
}) {
  const { t } = usePage();
  const tone =
    server.connection_status === 'connected'
      ? 'ok'
      : server.connection_status === 'error'
        ? 'error'
        : 'muted';
  return (
    <span title={server.last_error ? t.stored(server.last_error) : undefined}>
      <Badge tone={tone} testid="connection-status">
        {t(`servers.status.${server.connection_status}`)}
      </Badge>
    </span>
  );
}
