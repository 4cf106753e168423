/**
 * @module views/snapshots/vm-section: a VM's Snapshots section (`#vm-snapshots`): the tree as the host reports
 * it (indented; name, description, time, size, state; the current one, backup snapshots `ebm-backup-*` and a
 * schedule's marked), the create form and, per snapshot, Revert and Delete (each asks for confirmation in a
 * dialog). While one of its operations is queued or running, the section refreshes itself every second.
 */
import type { SnapshotView } from '../../src/snapshots/index.js';
import { formatBytes, formatDate } from '../components/format.js';
import { Badge } from '../components/status-badge.js';
import { usePage } from '../page-context.js';

export interface SnapshotSectionProps {
  vmId: number;
  snapshots: SnapshotView[];
  canEdit: boolean;
  /** An operation of this VM's snapshots is queued or running. */
  busy: boolean;
  notice?: string;
  /** Why the tree could not be read (host unreachable, ...). */
  error?: string;
  values?: Record<string, string>;
  errors?: Record<string, string[]>;
}

/** The placeholder the VM page renders: the section loads from the host once the page is shown. */
export function SnapshotSectionLoader(props: { vmId: number }) {
  const { t } = usePage();
  return (
    <section
      id="vm-snapshots"
      data-testid="vm-snapshots"
      hx-get={`/virtual-machines/${props.vmId}/snapshots`}
      hx-trigger="load"
      hx-swap="outerHTML"
    >
      <h2>{t('snapshots.title')}</h2>
      <p aria-busy="true" />
    </section>
  );
}

function SnapshotRow(props: { vmId: number; s: SnapshotView; canEdit: boolean }) {
  const { t, locale } = usePage();
  const { s } = props;
  const url = `/virtual-machines/${props.vmId}/snapshots/${encodeURIComponent(s.moref)}`;
  return (
    <tr data-testid="snapshot-row" data-moref={s.moref}>
      <td style={`padding-left: ${0.5 + s.depth * 1.5}rem`}>
        <strong data-testid="snapshot-name">{s.name}</strong>{' '}
        {s.is_current && <Badge tone="ok">{t('snapshots.current')}</Badge>}{' '}
        {s.is_backup && <Badge tone="muted">{t('snapshots.backup')}</Badge>}{' '}
        {s.schedule !== null && <Badge tone="muted">{t('snapshots.scheduled')}</Badge>}
      </td>
      <td>{s.description}</td>
      <td>{formatDate(s.created_at || null, locale, '—')}</td>
      <td>{s.size_bytes === null ? '—' : formatBytes(s.size_bytes)}</td>
      <td>
        {t(`snapshots.state.${s.state as 'poweredOn'}`) ?? s.state}
        {s.quiesced && ` · ${t('snapshots.quiesced')}`}
      </td>
      {props.canEdit && (
        <td class="row-actions">
          <button
            type="button"
            class="secondary outline"
            hx-get={`${url}/revert`}
            hx-target="#modal"
            data-testid="snapshot-revert"
          >
            {t('snapshots.revert')}
          </button>{' '}
          <button
            type="button"
            class="secondary outline"
            hx-get={`${url}/delete`}
            hx-target="#modal"
            data-testid="snapshot-delete"
          >
            {t('snapshots.delete')}
          </button>
        </td>
      )}
    </tr>
  );
}

function CreateForm(props: SnapshotSectionProps) {
  const { t } = usePage();
  const v = props.values ?? {};
  const e = props.errors ?? {};
  return (
    <form
      hx-post={`/virtual-machines/${props.vmId}/snapshots`}
      hx-target="#vm-snapshots"
      hx-swap="outerHTML"
      data-testid="snapshot-create-form"
    >
      <div class="grid">
        <label>
          {t('snapshots.field.name')}
          <input
            name="name"
            value={v.name ?? ''}
            required
            aria-invalid={e.name ? 'true' : undefined}
            data-testid="snapshot-field-name"
          />
          {e.name && <small class="field-error">{e.name[0]}</small>}
        </label>
        <label>
          {t('snapshots.field.description')}
          <input
            name="description"
            value={v.description ?? ''}
            aria-invalid={e.description ? 'true' : undefined}
          />
          {e.description && <small class="field-error">{e.description[0]}</small>}
        </label>
      </div>
      <label>
        <input type="checkbox" name="memory" checked={v.memory === 'on'} /> {t('snapshots.field.memory')}
      </label>
      <label>
        <input type="checkbox" name="quiesce" checked={v.quiesce === 'on'} /> {t('snapshots.field.quiesce')}
      </label>
      <button type="submit" data-testid="snapshot-create">
        {t('snapshots.create')}
      </button>
    </form>
  );
}

/** The section with the tree, the create form and the row actions. */
export function SnapshotSection(props: SnapshotSectionProps) {
  const { t } = usePage();
  const poll = props.busy
    ? {
        'hx-get': `/virtual-machines/${props.vmId}/snapshots`,
        'hx-trigger': 'every 1s',
        'hx-swap': 'outerHTML',
      }
    : {};
  return (
    <section id="vm-snapshots" data-testid="vm-snapshots" data-busy={props.busy ? 'true' : 'false'} {...poll}>
      <h2>{t('snapshots.title')}</h2>
      <p class="muted">{t('snapshots.intro')}</p>
      {props.notice && (
        <p class="notice notice-success" role="status" data-testid="snapshots-notice">
          {props.notice}
        </p>
      )}
      {props.error ? (
        <p class="form-error" role="alert" data-testid="snapshots-error">
          {props.error}
        </p>
      ) : props.snapshots.length === 0 ? (
        <p data-testid="snapshots-empty">{t('snapshots.empty')}</p>
      ) : (
        <table data-testid="snapshot-tree">
          <thead>
            <tr>
              <th>{t('snapshots.col.name')}</th>
              <th>{t('snapshots.col.description')}</th>
              <th>{t('snapshots.col.time')}</th>
              <th>{t('snapshots.col.size')}</th>
              <th>{t('snapshots.col.state')}</th>
              {props.canEdit && <th />}
            </tr>
          </thead>
          <tbody>
            {props.snapshots.map((s) => (
              <SnapshotRow vmId={props.vmId} s={s} canEdit={props.canEdit} />
            ))}
          </tbody>
        </table>
      )}
      {props.canEdit && <CreateForm {...props} />}
    </section>
  );
}
