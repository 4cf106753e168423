/**
 * @module views/notifications/deliveries: the recent deliveries (status, attempts, last error, the server's
 * answer), a fragment that refreshes itself every 5 s while it is on the page.
 */
import type { deliveryJson } from '../../src/http/api/notification-deliveries.js';
import { formatDate } from '../components/format.js';
import { Badge, type BadgeTone } from '../components/status-badge.js';
import { usePage } from '../page-context.js';

export type DeliveryItem = ReturnType<typeof deliveryJson>;

const TONE: Record<DeliveryItem['status'], BadgeTone> = { pending: 'info', sent: 'ok', failed: 'error' };

export function DeliveriesTable(props: { deliveries: DeliveryItem[] }) {
  const { t, locale } = usePage();
  return (
    <div
      id="deliveries"
      hx-get="/notifications/deliveries"
      hx-trigger="every 5s"
      hx-swap="outerHTML"
      data-testid="deliveries"
    >
      {props.deliveries.length === 0 ? (
        <p class="muted">{t('notify.deliveries.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th>{t('notify.delivery.at')}</th>
                <th>{t('notify.delivery.event')}</th>
                <th>{t('notify.delivery.channel')}</th>
                <th>{t('notify.delivery.status')}</th>
                <th>{t('notify.delivery.attempts')}</th>
                <th>{t('notify.delivery.error')}</th>
                <th>{t('notify.delivery.response')}</th>
              </tr>
            </thead>
            <tbody>
              {props.deliveries.map((d) => (
                <tr data-testid={`delivery-${d.id}`}>
                  <td>{formatDate(d.created_at, locale, '—')}</td>
                  <td>{d.title}</td>
                  <td>{d.channel_name}</td>
                  <td>
                    <Badge tone={TONE[d.status]}>{t(`notify.status.${d.status}`)}</Badge>
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.last_error ?? ''}</td>
                  <td>
                    <code>{d.response ?? ''}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
