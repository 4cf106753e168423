/** @module views/error-page: an error as a page, inside the layout when signed in. */
import { Layout } from './layout.js';

export function ErrorPage(props: { status: number; message: string }) {
  return (
    <Layout title={`${props.status}`}>
      <article class="error-card" data-testid="error-message">
        <p>{props.message}</p>
        <a href="/">←</a>
      </article>
    </Layout>
  );
}
