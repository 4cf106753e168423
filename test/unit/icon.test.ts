/** views/components/icon: the inline markup of a Lucide icon, and an unknown name refused. */
import { jsx } from 'hono/jsx';
import { describe, expect, it } from 'vitest';
import { ICON_NAMES, Icon, loadIcon } from '../../views/components/icon.js';

describe('Icon', () => {
  it('renders a decorative inline <svg> drawn in currentColor, sized by CSS', () => {
    const html = String(jsx(Icon, { name: 'save' }));
    expect(html).toMatch(/^<svg class="icon" aria-hidden="true" focusable="false" [^>]*viewBox="0 0 24 24"/);
    expect(html).toContain('stroke="currentColor"');
    expect(html).not.toMatch(/\swidth=|\sheight=|<!--|\n/);
    expect(html).toMatch(/<\/svg>$/);
  });

  it('has every listed icon in lucide-static', () => {
    for (const name of ICON_NAMES) expect(loadIcon(name)).toMatch(/^<svg .*<\/svg>$/);
  });

  it('refuses an unknown name', () => {
    expect(() => loadIcon('no-such-icon')).toThrow(/unknown icon "no-such-icon"/);
    expect(() => String(jsx(Icon, { name: 'no-such-icon' as never }))).toThrow(/unknown icon/);
  });
});
