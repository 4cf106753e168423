/** @module views/surebackup/badge: a verification's status as a coloured badge, and the small yes/no marks. */
import type { VerificationStatus } from '../../src/db/verifications.js';
import { Badge, type BadgeTone } from '../components/status-badge.js';
import { usePage } from '../page-context.js';

const TONES: Record<VerificationStatus, BadgeTone> = {
  pending: 'muted',
  running: 'info',
  passed: 'ok',
  failed: 'error',
  warning: 'warn',
};

/** The status badge (`data-testid` given, e.g. `verification-status`). */
export function VerificationBadge(props: { status: VerificationStatus; testid?: string; title?: string }) {
  const { t } = usePage();
  return (
    <span title={props.title || undefined}>
      <Badge tone={TONES[props.status]} testid={props.testid}>
        {t(`surebackup.status.${props.status}`)}
      </Badge>
    </span>
  );
}

/** `oui` / `non` / `—` for a boolean that may be unknown. */
export function YesNo(props: { value: boolean | null }) {
  const { t } = usePage();
  if (props.value === null) return <>—</>;
  return (
    <Badge tone={props.value ? 'ok' : 'error'}>{t(props.value ? 'surebackup.yes' : 'surebackup.no')}</Badge>
  );
}

/** The small badge of a backup's latest verification in the backups list, `—` when never verified. */
export function LatestVerification(props: { status?: string | null }) {
  const status = props.status as VerificationStatus | null | undefined;
  if (!status || !(status in TONES)) return <span class="muted">—</span>;
  return <VerificationBadge status={status} testid="backup-verification" />;
}
