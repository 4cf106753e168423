/** @module views/placeholder: a sidebar entry whose feature has not landed yet. */
import { Layout } from './layout.js';
import { usePage } from './page-context.js';

export function PlaceholderPage(props: { title: string }) {
  const { t } = usePage();
  return (
    <Layout title={props.title}>
      <p class="muted">{t('common.coming_soon')}</p>
    </Layout>
  );
}
