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
