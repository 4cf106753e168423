/**
 * @module views/inventory/vm-retention: a VM's retention section: the policy in force (its own or the default),
 * the form that sets it (htmx; field errors in place) with a button back to the default, and the dry-run
 * preview: each completed restore point, newest first, marked kept or removed by the policy as it is now.
 * Swapped as a whole after each change.
 */
import type { RetentionPlan } from '../../src/backup/index.js';
import { RETENTION_OPTIONS } from '../../src/db/schema.js';
import { Field } from '../components/field.js';
import { formatDate } from '../components/format.js';
import { Badge, type BadgeTone } from '../components/status-badge.js';
import { usePage } from '../page-context.js';

const MARK_TONE: Record<RetentionPlan['points'][number]['mark'], BadgeTone> = {
  keep: 'ok',
  protected: 'info',
  'keep-partial': 'muted',
  remove: 'error',
};
const CHECK_TONE = { unverified: 'muted', ok: 'ok', corrupt: 'error' } as const;

export interface RetentionSectionProps {
  vmId: number;
  plan: RetentionPlan;
  canEdit: boolean;
  /** The form as submitted, when it is shown again with `errors`. */
  values?: Record<string, string>;
  errors?: Record<string, string[]>;
  /** A confirmation after a change. */
  notice?: string;
}

/** The section (`#vm-retention`): policy, form for operators, preview for everyone. */
export function RetentionSection(props: RetentionSectionProps) {
  const { t } = usePage();
  const { plan } = props;
  const e = props.errors ?? {};
  const action = `/virtual-machines/${props.vmId}/retention`;
  return (
    <section id="vm-retention" data-testid="vm-retention">
      <h2>{t('retention.title')}</h2>
      <p class="muted">{t('retention.intro')}</p>
      <p data-testid="retention-policy">
        {plan.is_default ? t('retention.is_default', { count: plan.rules.keep_last }) : t('retention.is_own')}
      </p>
      {props.notice && (
        <p class="notice notice-success" role="status" data-testid="retention-notice">
          {props.notice}
        </p>
      )}
      {props.canEdit && (
        <form hx-post={action} hx-target="#vm-retention" hx-swap="outerHTML" data-testid="retention-form">
          {e._ && (
            <p class="form-error" role="alert" data-testid="retention-error">
              {e._[0]}
            </p>
          )}
          <div class="grid">
            {RETENTION_OPTIONS.map((name) => (
              <Field
                name={name}
                label={t(`retention.${name}`)}
                type="number"
                value={props.values?.[name] ?? plan.rules[name]}
                error={e[name]}
              />
            ))}
          </div>
          <footer class="form-actions">
            <button type="submit" data-testid="retention-save">
              {t('retention.save')}
            </button>
            {!plan.is_default && (
              <button
                type="button"
                class="secondary outline"
                hx-post={`${action}/reset`}
                hx-target="#vm-retention"
                hx-swap="outerHTML"
                data-testid="retention-reset"
              >
                {t('retention.reset')}
              </button>
            )}
          </footer>
        </form>
      )}
      <RetentionPreview plan={plan} />
    </section>
  );
}

/** The dry run: what the policy in force would keep and remove now. */
function RetentionPreview({ plan }: { plan: RetentionPlan }) {
  const { t, locale } = usePage();
  return (
    <>
      <h3>{t('retention.preview')}</h3>
      {plan.points.length === 0 ? (
        <p class="muted">{t('retention.preview_empty')}</p>
      ) : (
        <table data-testid="retention-preview">
          <thead>
            <tr>
              <th>{t('retention.taken_at')}</th>
              <th>{t('retention.verification')}</th>
              <th>{t('retention.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {plan.points.map(({ backup, mark }) => (
              <tr data-testid="retention-point" data-backup-id={String(backup.id)}>
                <td>{formatDate(backup.taken_at, locale, '—')}</td>
                <td>
                  <Badge tone={CHECK_TONE[backup.verification_state]}>
                    {t(`backups.check.${backup.verification_state}`)}
                  </Badge>
                </td>
                <td>
                  <Badge tone={MARK_TONE[mark]} testid="retention-mark">
                    {t(`retention.mark.${mark}`)}
                  </Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
