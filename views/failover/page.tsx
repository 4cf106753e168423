/**
 * @module views/failover/page: the Failover page: every failover event, newest first, with its type, status,
 * reason, what was powered, and its step log (seed 002 section 2: the six steps), its messages in the
 * reader's language (older rows' sentences as stored). The table polls itself every 2 s while an event is
 * still running.
 */
import type { FailoverEventView } from '../../src/db/failover-events.js';
import type { MessageKey } from '../../src/i18n/messages.js';
import { formatDate } from '../components/format.js';
import { Badge, type BadgeTone } from '../components/status-badge.js';
import { Layout } from '../layout.js';
import { usePage } from '../page-context.js';

const TONE: Record<FailoverEventView['status'], BadgeTone> = {
  initiated: 'muted',
  in_progress: 'info',
  completed: 'ok',
  failed: 'error',
  rolled_back: 'warn',
};

const STEP_KEYS = new Set([
  'initiation',
  'validation',
  'power_off_source',
  'power_on_replica',
  'verification',
  'finalisation',
  'rollback',
  'failed',
  'lab_network',
]);

/** The whole page: every failover event, newest first. */
export function FailoverPage(props: { events: FailoverEventView[] }) {
  const { t } = usePage();
  return (
    <Layout title={t('failover.title')}>
      <FailoverEvents events={props.events} />
    </Layout>
  );
}

/** The events table; polls `/failover/events` every 2 s while one is initiated or in progress. */
export function FailoverEvents(props: { events: FailoverEventView[] }) {
  const { t, locale } = usePage();
  const running = props.events.some((e) => e.status === 'initiated' || e.status === 'in_progress');
  const polling = running
    ? { 'hx-get': '/failover/events', 'hx-trigger': 'every 2s', 'hx-target': 'this', 'hx-swap': 'outerHTML' }
    : {};
  const yes = (b: boolean) => t(b ? 'failover.yes' : 'failover.no');
  return (
    <section id="failover-events" {...polling}>
      {props.events.length === 0 ? (
        <p class="muted">{t('failover.empty')}</p>
      ) : (
        <table data-testid="failover-table">
          <thead>
            <tr>
              <th>{t('failover.date')}</th>
              <th>{t('failover.replication')}</th>
              <th>{t('failover.type')}</th>
              <th>{t('failover.status')}</th>
              <th>{t('failover.reason')}</th>
              <th>{t('failover.steps')}</th>
            </tr>
          </thead>
          <tbody>
            {props.events.map((e) => (
              <tr data-testid="failover-row" data-status={e.status}>
                <td>{formatDate(e.started_at, locale, '—')}</td>
                <td>
                  {e.replication_name}
                  <br />
                  <small class="muted">{e.vm_name}</small>
                </td>
                <td>{t(`replication.mode.${e.failover_type}`)}</td>
                <td>
                  <Badge tone={TONE[e.status]} testid="failover-status">
                    {t(`failover.status.${e.status}`)}
                  </Badge>
                  <br />
                  <small>
                    {t('failover.source_off')} : {yes(e.source_vm_powered_off)} · {t('failover.replica_on')} :{' '}
                    {yes(e.destination_vm_powered_on)}
                  </small>
                  {e.error_message && <small class="field-error">{t.stored(e.error_message)}</small>}
                </td>
                <td>{t.stored(e.reason)}</td>
                <td>
                  <details>
                    <summary>{e.step_log.length}</summary>
                    <ol class="step-log" data-testid="failover-steps">
                      {e.step_log.map((s) => (
                        <li class={s.ok ? '' : 'field-error'}>
                          <strong>
                            {STEP_KEYS.has(s.step) ? t(`failover.step.${s.step}` as MessageKey) : s.step}
                          </strong>{' '}
                          <small class="muted">{formatDate(s.at, locale, '')}</small> —{' '}
                          {typeof s.message === 'string' ? s.message : t.message(s.message)}
                        </li>
                      ))}
                    </ol>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
