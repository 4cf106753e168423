/**
 * @module views/storage/master-key: the master key of a repository just created, shown once (in the answer to
 * the creation, never stored in clear or shown again), with the warning that losing it and the passphrase
 * loses the backups.
 */
import { usePage } from '../page-context.js';

/** The one-time panel with the key in hex. */
export function MasterKeyPanel(props: { name: string; keyHex: string }) {
  const { t } = usePage();
  return (
    <article class="notice warning" data-testid="master-key-panel">
      <h3>{t('storage.key.title', { name: props.name })}</h3>
      <p>{t('storage.key.once')}</p>
      <pre data-testid="master-key">
        <code>{props.keyHex}</code>
      </pre>
      <p>
        <strong>{t('storage.encryption_warning')}</strong>
      </p>
    </article>
  );
}
