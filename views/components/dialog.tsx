/**
 * @module views/components/dialog: the modal shell the pages swap into `#modal` (closed by its
 * `[data-close-dialog]` button or Escape, public/app.js), and the submit/cancel footer of its form.
 */
import type { Child } from 'hono/jsx';
import { usePage } from '../page-context.js';

/** An open <dialog> with a title. @param props.testid its `data-testid`. */
export function Dialog(props: { testid: string; title: string; children: Child }) {
  return (
    <dialog open data-testid={props.testid}>
      <article>
        <header>
          <h3>{props.title}</h3>
        </header>
        {props.children}
      </article>
    </dialog>
  );
}

/** The form's submit button and a cancel button that closes the dialog. */
export function DialogFormActions(props: { submitLabel: string; submitTestid: string }) {
  const { t } = usePage();
  return (
    <footer class="form-actions">
      <button type="submit" data-testid={props.submitTestid}>
        {props.submitLabel}
      </button>
      <button type="button" class="secondary outline" data-close-dialog>
        {t('common.cancel')}
      </button>
    </footer>
  );
}
