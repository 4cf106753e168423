/**
 * @module views/storage/repository-cells: a storage path's repository in the list: logical and physical size,
 * their ratio, chunk count, last verify and last GC, and the Verify and Garbage collect buttons (they queue
 * the job; its progress shows in the operations widget).
 */
import type { StoragePathJson } from '../../src/http/api/storage-paths-json.js';
import { CsrfField } from '../components/csrf.js';
import { formatBytes, formatDate } from '../components/format.js';
import { usePage } from '../page-context.js';

/** logical / physical, e.g. `3,2×`; a dash when nothing is stored yet. */
export function dedupRatio(
  p: Pick<StoragePathJson, 'logical_bytes' | 'physical_bytes'>,
  locale: string,
): string {
  if (p.physical_bytes <= 0 || p.logical_bytes <= 0) return '—';
  const ratio = p.logical_bytes / p.physical_bytes;
  return `${ratio.toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 })}×`;
}

/** The size, ratio, chunk and date cells of one row. */
export function RepositoryCells(props: { path: StoragePathJson }) {
  const { t, locale } = usePage();
  const p = props.path;
  const never = t('storage.never');
  return (
    <>
      <td data-testid="logical-size">{formatBytes(p.logical_bytes)}</td>
      <td data-testid="physical-size">{formatBytes(p.physical_bytes)}</td>
      <td data-testid="ratio">{dedupRatio(p, locale)}</td>
      <td data-testid="chunk-count">{p.chunk_count === null ? '—' : p.chunk_count.toLocaleString(locale)}</td>
      <td>{formatDate(p.last_verified_at, locale, never)}</td>
      <td>{formatDate(p.last_gc_at, locale, never)}</td>
    </>
  );
}

/** The Verify and Garbage collect buttons (htmx: a toast and the operations widget; plain: a redirect). */
export function RepositoryButtons(props: { path: StoragePathJson }) {
  const { t } = usePage();
  const button = (action: 'verify' | 'garbage_collect', label: string) => (
    <form
      method="post"
      action={`/storage-paths/${props.path.id}/${action}`}
      class="inline"
      hx-post={`/storage-paths/${props.path.id}/${action}`}
      hx-swap="none"
    >
      <CsrfField />
      <button type="submit" class="outline small" data-testid={`${action}-${props.path.id}`}>
        {label}
      </button>
    </form>
  );
  return (
    <>
      {button('verify', t('storage.verify'))} {button('garbage_collect', t('storage.gc'))}
    </>
  );
}
