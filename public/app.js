// ESXi Backup Manager: the little client-side behaviour the pages need (toasts). Everything else is htmx.
(() => {
  const TOAST_MS = 6000;

  function showToast(level, message) {
    const box = document.getElementById('toasts');
    if (!box || !message) return;
    const toast = document.createElement('div');
    toast.className = `toast toast-${level === 'error' ? 'error' : 'success'}`;
    toast.setAttribute('role', 'status');
    toast.textContent = message;
    box.appendChild(toast);
    setTimeout(() => toast.remove(), TOAST_MS);
  }

  // Server-sent toasts: `HX-Trigger: {"toast": {"level": "success", "message": "..."}}`.
  document.body.addEventListener('toast', (event) => showToast(event.detail.level, event.detail.message));

  // Destructive forms ask first: <form data-confirm="Delete “x”?">.
  document.addEventListener('submit', (event) => {
    const question = event.target.getAttribute?.('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // Flash messages rendered with the page fade out like the others.
  for (const toast of document.querySelectorAll('#toasts .toast')) setTimeout(() => toast.remove(), TOAST_MS);
})();

// Modals: a <dialog> swapped in by htmx closes on its [data-close-dialog] button or Escape, and is removed.
(() => {
  document.addEventListener('click', (event) => {
    const button = event.target.closest?.('[data-close-dialog]');
    if (button) button.closest('dialog')?.remove();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape')
      for (const dialog of document.querySelectorAll('dialog[open]')) dialog.remove();
  });
})();

// Operations widget (views/operations/widget.tsx): when a card shows a finished operation for the first
// time, tell the page with an `operation-finished` event on <body> (detail: id, type, status), so that a
// list can refresh itself with hx-trigger="operation-finished from:body".
(() => {
  const seen = new Set();
  document.body.addEventListener('htmx:afterSettle', () => {
    const cards = document.querySelectorAll('#operations-widget [data-testid="operation-card"]');
    for (const card of cards) {
      const { jobId, jobType, status } = card.dataset;
      if (status === 'PENDING' || status === 'IN_PROGRESS' || seen.has(jobId)) continue;
      seen.add(jobId);
      const detail = { id: Number(jobId), type: jobType, status };
      document.body.dispatchEvent(new CustomEvent('operation-finished', { bubbles: true, detail }));
    }
  });
})();

// Database backup (views/db-backup/*, seed 004): Ctrl+Alt+S on every page clicks the sidebar's
// "💾 Sauvegarder" button (admins only: others have no button); a success card removes itself after
// `data-dismiss-after` ms, any card on its [data-dismiss-card] button; the operations widget moves up above
// the card (--db-backup-height).
(() => {
  document.addEventListener('keydown', (event) => {
    if (!event.ctrlKey || !event.altKey || event.code !== 'KeyS') return;
    const button = document.getElementById('db-backup-button');
    if (!button) return;
    event.preventDefault();
    button.click();
  });
  const measure = () => {
    const card = document.getElementById('db-backup-card');
    document.body.style.setProperty('--db-backup-height', `${card ? card.offsetHeight : 0}px`);
  };
  const timers = new WeakSet();
  document.body.addEventListener('htmx:afterSettle', () => {
    measure();
    const card = document.querySelector('#db-backup-card[data-dismiss-after]');
    if (!card || timers.has(card)) return;
    timers.add(card);
    setTimeout(() => {
      card.remove();
      measure();
    }, Number(card.dataset.dismissAfter));
  });
  document.addEventListener('click', (event) => {
    const button = event.target.closest?.('[data-dismiss-card]');
    if (!button) return;
    button.closest('.db-backup-card')?.remove();
    measure();
  });
})();
