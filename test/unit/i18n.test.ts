import { describe, expect, it } from 'vitest';
import { msg, storedCode, storeMessage } from '../../src/i18n/message.js';
import { en, fr } from '../../src/i18n/messages.js';
import { pickLocale, translator } from '../../src/i18n/translate.js';
import { englishIn } from '../support/english.js';

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

describe('stored messages', () => {
  const tFr = translator('fr');
  const tEn = translator('en');

  it('renders a stored message in each language, and keeps its code', () => {
    const stored = storeMessage(msg('vsphere.invalid_login'), 'InvalidLogin');
    expect(tFr.stored(stored)).toBe('L’hôte ESXi a refusé le nom d’utilisateur ou le mot de passe.');
    expect(tEn.stored(stored)).toBe('The ESXi host rejected the user name or password.');
    expect(storedCode(stored)).toBe('InvalidLogin');
  });

  it('renders a message given as a parameter in the same language', () => {
    const stored = storeMessage(
      msg('vsphere.unreachable', { target: 'esx1:443', reason: msg('vsphere.reason.refused') }),
    );
    expect(tFr.stored(stored)).toBe(
      'Impossible de joindre l’hôte ESXi esx1:443 : la connexion a été refusée.',
    );
    expect(tEn.stored(stored)).toBe('Cannot reach the ESXi host esx1:443: the connection was refused.');
  });

  it('shows the text of a row written before messages were keys as stored', () => {
    expect(tFr.stored('Copying disk1-flat.vmdk')).toBe('Copying disk1-flat.vmdk');
    expect(tFr.stored('{"not":"a message"}')).toBe('{"not":"a message"}');
    expect(tFr.stored(null)).toBe('');
    expect(storedCode('plain text')).toBeUndefined();
  });
});

describe('the English finder of the page tests', () => {
  it('finds an English catalog sentence and an unrendered message, not the French ones', () => {
    expect(englishIn(`Statut : ${en['vsphere.invalid_login']}`)).not.toEqual([]);
    expect(englishIn('{"key":"step.done"}')).toEqual(['{"key":']);
    expect(englishIn(Object.values(fr).join('\n'))).toEqual([]);
  });
});
