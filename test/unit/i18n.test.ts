import { describe, expect, it } from 'vitest';
import { en, fr } from '../../src/i18n/messages.js';
import { pickLocale, translator } from '../../src/i18n/translate.js';

describe('message catalog', () => {
  it('has every French message in English too, and the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const key of Object.keys(fr) as Array<keyof typeof fr>) {
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(en[key]), key).toEqual(names(fr[key]));
    }
  });

  it('fills placeholders', () => {
    expect(translator('fr')('servers.synced', { vms: 3, datastores: 1 })).toBe(
      'Inventaire synchronisé : 3 VM, 1 datastores.',
    );
  });
});

describe('pickLocale', () => {
  it.each([
    [undefined, undefined, 'fr'],
    [undefined, 'en-US,en;q=0.9', 'en'],
    [undefined, 'de-DE,en;q=0.5,fr;q=0.8', 'fr'],
    [undefined, 'de-DE', 'fr'],
    ['en', 'fr-FR', 'en'],
    ['xx', 'en', 'en'],
  ])('cookie %s, Accept-Language %s -> %s', (cookie, header, expected) => {
    expect(pickLocale(cookie, header)).toBe(expected);
  });
});
