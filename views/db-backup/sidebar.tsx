/**
 * @module views/db-backup/sidebar: the "Sauvegarder" button (save icon) of the sidebar's Admin section
 * (seed 004 "Bouton dans la Sidebar"; public/app.js clicks it on Ctrl+Alt+S) and the bottom-right slot its
 * card goes into. The slot asks `/backup/current` at page load, so that a running backup stays in view
 * across pages. Admins only: for anyone else both render nothing.
 */
import { Icon } from '../components/icon.js';
import { usePage } from '../page-context.js';

/** The sidebar button (`#db-backup-button`). */
export function DbBackupButton() {
  const { t, user } = usePage();
  if (user?.role !== 'admin') return null;
  return (
    <button
      type="button"
      id="db-backup-button"
      class="db-backup-button"
      data-testid="db-backup-button"
      title={t('dbbackup.button_title')}
      aria-keyshortcuts="Control+Alt+S"
      hx-post="/backup/start"
      hx-target="#db-backup-slot"
      hx-swap="innerHTML"
    >
      <Icon name="save" /> {t('dbbackup.button')}
    </button>
  );
}

/** The fixed bottom-right slot (`#db-backup-slot`) the card is swapped into. */
export function DbBackupSlot() {
  const { user } = usePage();
  if (user?.role !== 'admin') return null;
  return (
    <div
      id="db-backup-slot"
      class="db-backup-slot"
      aria-live="polite"
      hx-get="/backup/current"
      hx-trigger="load"
      hx-swap="innerHTML"
    />
  );
}
