/**
 * @module views/components/icon: icons as inline SVG from the `lucide-static` package, so that they show
 * whatever fonts the browser has (Unicode symbols such as 💾 or ⇄ are missing glyphs in Debian's Chromium).
 *
 * The SVG files are read once, when this module is first imported (at start-up), from
 * `node_modules/lucide-static/icons/<name>.svg`: a missing file stops the app there rather than on a page.
 * Nothing is served: the markup is part of the page, allowed by the CSP like any other element. Each icon
 * is `aria-hidden`, drawn in `currentColor`, and sized by CSS (`.icon` in public/app.css: 1em, aligned with
 * the text around it). Add a name to {@link ICON_NAMES} to use another Lucide icon (https://lucide.dev/icons).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { raw } from 'hono/html';

/** The Lucide icons the views use; `<Icon name>` accepts only these. */
export const ICON_NAMES = [
  'layout-dashboard',
  'server',
  'monitor',
  'hard-drive',
  'archive',
  'arrow-left-right',
  'zap',
  'shield-check',
  'settings',
  'folder',
  'users',
  'database',
  'save',
  'circle-check',
  'circle-x',
  'arrow-left',
  'arrow-right',
  'calendar-clock',
  'camera',
  'bell',
  'file-text',
  'package',
] as const;

export type IconName = (typeof ICON_NAMES)[number];

const ICONS_DIR = join(
  dirname(createRequire(import.meta.url).resolve('lucide-static/package.json')),
  'icons',
);

/**
 * The markup of one Lucide file, ready to inline: license comment, `class`, `width` and `height` dropped
 * (size comes from CSS), `class="icon"`, `aria-hidden` and `focusable="false"` added, on one line.
 * @throws Error naming the file when it is missing or is not an `<svg>` element.
 */
export function loadIcon(name: string): string {
  const file = join(ICONS_DIR, `${name}.svg`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`unknown icon "${name}": ${file} cannot be read (${(err as Error).message})`);
  }
  const svg = text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\s+/g, ' ')
    .replace(/> </g, '><')
    .trim();
  const open = svg.match(/^<svg\b([^>]*)>/);
  if (!open || !svg.endsWith('</svg>')) throw new Error(`icon "${name}": ${file} is not an <svg> element`);
  const attributes = (open[1] ?? '')
    .replace(/\s(class|width|height|aria-hidden|focusable)="[^"]*"/g, '')
    .replace(/\s+$/, '');
  return `<svg class="icon" aria-hidden="true" focusable="false"${attributes}>${svg.slice(open[0].length)}`;
}

const CACHE = new Map<string, string>(ICON_NAMES.map((name) => [name, loadIcon(name)]));

/**
 * An icon, inline: `<Icon name="save" />` before a label, e.g. `<Icon name="save" /> {t('dbbackup.button')}`.
 * Decorative (`aria-hidden`): the text beside it, or the control's `aria-label`, names it.
 * @throws Error for a name not in {@link ICON_NAMES} (a cast string that TypeScript did not catch).
 */
export function Icon(props: { name: IconName }) {
  const svg = CACHE.get(props.name);
  if (svg === undefined) throw new Error(`unknown icon "${props.name}" (add it to ICON_NAMES)`);
  return raw(svg);
}
