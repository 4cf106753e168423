/**
 * @module test/notifications/reports: the PDF reports read back with pdftotext (poppler-utils): the
 * verification report of a period names each VM, each result, the boot time, the services checked, the
 * failure with its log and the period, in French and in English, and leaves out what falls outside the period;
 * the protection report names each VM with its last good restore point's repository, and "aucun" for a VM
 * without one. A bad period is a 400 naming the field.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { virtual_machines } from '../../src/db/schema.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { seedVerification, seedVm } from './support.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ebm-reports-'));

/** The text of a PDF answer (pdftotext -layout). */
async function pdfText(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** The text with every run of white space as one space (lines wrap where the page is full). */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

describe('PDF reports', () => {
  let t: TestApp;
  let headers: Record<string, string>;
  let erp: Awaited<ReturnType<typeof seedVm>>;
  let web: Awaited<ReturnType<typeof seedVm>>;

  beforeAll(async () => {
    t = await createTestApp();
    headers = (await t.apiUser('viewer')).headers;
    erp = await seedVm(t.database.db, 'erp-db', 30);
    web = await seedVm(t.database.db, 'web-01', 2);
    const db = t.database.db;
    await seedVerification(db, erp.backup.id, erp.server.id, 'failed', new Date('2026-11-10T09:00:00Z'));
    await seedVerification(db, erp.backup.id, erp.server.id, 'passed', new Date('2026-11-12T09:00:00Z'));
    await seedVerification(db, web.backup.id, web.server.id, 'warning', new Date('2026-11-15T09:00:00Z'));
    await seedVerification(db, web.backup.id, web.server.id, 'failed', new Date('2026-10-01T09:00:00Z'));
    await db
      .insert(virtual_machines)
      .values({ esxi_server_id: web.server.id, moref: 'vm-new', name: 'mail-02' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the verification report names VMs, results, boot, services, failures with their logs and the period', async () => {
    const url = '/api/reports/verifications.pdf?from=2026-11-01&to=2026-11-30';
    const fr = flat(await pdfText(await t.app.request(`${url}&lang=fr`, { headers })));
    expect(fr).toContain('Rapport de vérifications SureBackup');
    expect(fr).toContain('Période : du 2026-11-01 au 2026-11-30');
    expect(fr).toContain('3 vérification(s) : 1 réussie(s), 1 avec avertissement, 1 échouée(s).');
    expect(fr).toMatch(/VM erp-db : 2 vérification/);
    expect(fr).toMatch(/VM web-01 : 1 vérification/);
    expect(fr).toMatch(/échouée — non démarrée — services vérifiés : aucun/);
    expect(fr).toMatch(/réussie — démarrage en 42 s — services vérifiés : ssh OK, http OK/);
    expect(fr).toMatch(/avertissement — démarrage en 42 s — services vérifiés : ssh OK, http KO/);
    expect(fr).toContain('Échec : La VM n’a pas démarré : heartbeat gray after 600 s.');
    expect(fr).toContain('boot timed out after 600 s');
    expect(fr).not.toContain('2026-10-01');

    const en = flat(await pdfText(await t.app.request(`${url}&lang=en`, { headers })));
    expect(en).toContain('SureBackup verification report');
    expect(en).toContain('Period: 2026-11-01 to 2026-11-30');
    expect(en).toMatch(/failed — not booted — services checked: none/);
    expect(en).toMatch(/passed — booted in 42 s/);
    expect(en).toContain('Failure: The VM did not boot: heartbeat gray after 600 s.');
  });

  it('the protection report names each VM, its last good restore point, its age and repository', async () => {
    const fr = await pdfText(await t.app.request('/api/reports/protection.pdf?lang=fr', { headers }));
    expect(fr).toContain('Rapport de protection');
    expect(fr).toContain('3 VM : 2 avec un point de restauration valide, 1 sans.');
    expect(fr).toMatch(/mail-02 \(esx-web-01-\d+\)\s+aucun/);
    expect(fr).toMatch(/erp-db \(esx-erp-db-\d+\).*1 ?j ?6 ?h\s+repo-erp-db-\d+/);
    expect(fr).toMatch(/web-01 \(esx-web-01-\d+\).*2 h 0 min\s+repo-web-01-\d+/);
    expect(fr.indexOf('mail-02')).toBeLessThan(fr.indexOf('erp-db'));
    const en = await pdfText(
      await t.app.request('/api/reports/protection.pdf', {
        headers: { ...headers, 'Accept-Language': 'en' },
      }),
    );
    expect(en).toContain('Protection report');
    expect(en).toMatch(/erp-db \(esx-erp-db-\d+\).*1 ?d ?6 ?h/);
  });

  it('a bad period or language is a 400 naming the field', async () => {
    for (const query of ['from=2026-13-01', 'from=2026-11-30&to=2026-11-01', 'to=yesterday', 'lang=de']) {
      const res = await t.app.request(`/api/reports/verifications.pdf?${query}`, { headers });
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { code: string; errors: Record<string, string[]> };
      expect(body.code).toBe('invalid_input');
      expect(Object.keys(body.errors).length).toBe(1);
    }
  });
});
