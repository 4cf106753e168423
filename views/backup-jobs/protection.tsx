/**
 * @module views/backup-jobs/protection: the protection view: the dashboard's card of VMs no active backup job
 * covers and of RPOs missed, and a VM's cell in the VM list (its jobs, the age of its last good restore point,
 * RPO met or missed; src/backup-jobs/protection.ts defines them).
 */
import type { VmProtection } from '../../src/backup-jobs/index.js';
import { Badge } from '../components/status-badge.js';
import { usePage } from '../page-context.js';

/** An age in the reader's language: "il y a 3 heures". */
function age(from: Date, locale: string): string {
  const seconds = Math.round((from.getTime() - Date.now()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of units)
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  return format.format(seconds, 'second');
}

/** A VM's protection in the VM list. */
export function ProtectionCell(props: { protection: VmProtection | undefined }) {
  const { t, locale } = usePage();
  const p = props.protection;
  if (!p)
    return (
      <div data-testid="vm-protection">
        <Badge tone="error">{t('protection.none')}</Badge>
      </div>
    );
  return (
    <div data-testid="vm-protection">
      {p.jobs.join(', ')}{' '}
      {p.rpo_met !== null && (
        <Badge tone={p.rpo_met ? 'ok' : 'error'}>
          {t(p.rpo_met ? 'protection.rpo.met' : 'protection.rpo.missed')}
        </Badge>
      )}
      <br />
      <small>
        {p.last_good
          ? t('protection.last_good', { age: age(p.last_good, locale) })
          : t('protection.no_point')}
      </small>
    </div>
  );
}

/** The dashboard's card. */
export function ProtectionCard(props: {
  unprotected: Array<{ id: number; name: string }>;
  rpoMissed: string[];
}) {
  const { t } = usePage();
  return (
    <article data-testid="protection-card">
      <h3>{t('protection.title')}</h3>
      {props.unprotected.length === 0 ? (
        <p>{t('protection.unprotected_none')}</p>
      ) : (
        <p data-testid="unprotected-vms">
          <strong>
            {t('protection.unprotected')} ({props.unprotected.length})
          </strong>{' '}
          : {props.unprotected.map((vm) => vm.name).join(', ')}
        </p>
      )}
      {props.rpoMissed.length > 0 && (
        <p class="field-error" data-testid="rpo-missed">
          {t('protection.rpo_missed')} ({props.rpoMissed.length}) : {props.rpoMissed.join(', ')}
        </p>
      )}
    </article>
  );
}
