import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translate.js';
import { stepMessage } from '../../src/jobs/steps.js';

const fr = translator('fr');
const say = (step: string, type?: Parameters<typeof stepMessage>[1]) => {
  const m = stepMessage(step, type);
  return m ? fr(m.key, m.params) : null;
};

describe('job steps in the reader’s language', () => {
  it('maps a step with its parameters', () => {
    expect(stepMessage('Copying disk1-flat.vmdk')).toEqual({
      key: 'step.copying',
      params: { file: 'disk1-flat.vmdk' },
    });
    expect(say('Copying disk1.vmdk')).toBe('Copie de disk1.vmdk');
    expect(say('Verifying backup')).toBe('Vérification de la sauvegarde');
    expect(say('Verifying disk1.vmdk')).toBe('Vérification de disk1.vmdk');
  });

  it('speaks every step of verifications, replications and failovers', () => {
    for (const step of [
      'Isolating network',
      'Waiting for boot',
      'Pinging guest',
      'Checking services',
      'Powering off source VM',
      'Powering on replica',
      'Verifying replica',
      'Deleting existing replica',
      'Validating',
      'Finalising',
    ]) {
      expect(say(step), step).not.toBeNull();
    }
  });

  it('lets the database backup word its steps as seed 004 does', () => {
    expect(say('Finalising', 'db_backup')).toBe('Finalisation : métadonnées JSON...');
    expect(say('Finalising', 'failover')).toBe('Finalisation');
    expect(say('Dumping table public.jobs (3/12)', 'db_backup')).toBe(
      'Dump de la table public.jobs (3/12)...',
    );
  });

  it('leaves an unknown step as it is', () => {
    expect(stepMessage('something else')).toBeNull();
  });
});
