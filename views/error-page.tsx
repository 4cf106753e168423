/** @module views/error-page: an error as a page, inside the layout when signed in. */
import { Icon } from './components/icon.js';
import { Layout } from './layout.js';
import { usePage } from './page-context.js';

export function ErrorPage(props: { status: number; message: string }) {
  const { t } = usePage();
  return (
    <Layout title={`${props.status}`}>
      <article class="error-card" data-testid="error-message">
        <p>{props.message}</p>
        <a href="/">
          <Icon name="arrow-left" /> {t('nav.dashboard')}
        </a>
      </article>
    </Layout>
  );
}
