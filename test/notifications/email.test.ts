/**
 * @module test/notifications/email: a real SMTP server (smtp-server) on loopback, with STARTTLS required
 * (a self-signed certificate made for the test, trusted by the channel) and authentication, receives over TCP
 * the mail of a failed verification: the subject and the body name the VM, the host and the error, in French
 * for a French channel and in English for an English one, with the link under PUBLIC_URL. "Send a test"
 * answers the server's response line; a wrong password answers the server's refusal; the password is never
 * answered nor logged.
 */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyVerificationFailed, startDeliveryLoop } from '../../src/notifications/index.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { seedVerification, seedVm, selfSignedCertificate, waitDeliveries } from './support.js';

const PASSWORD = 'smtp-Secret-4242';
// biome-ignore lint/suspicious/noExplicitAny: JSON answers read field by field
type Json = Record<string, any>;

describe('e-mail notifications over SMTP with STARTTLS and authentication', () => {
  let t: TestApp;
  let headers: Record<string, string>;
  let smtp: SMTPServer;
  let port = 0;
  let loop: { stop(): Promise<void> };
  const cert = selfSignedCertificate();
  const mails: ParsedMail[] = [];
  const tlsSessions: boolean[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      key: cert.key,
      cert: cert.cert,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, session, done) {
        tlsSessions.push(Boolean(session.secure));
        if (auth.username === 'ebm' && auth.password === PASSWORD) done(null, { user: 'ebm' });
        else done(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
      },
      onData(stream, _session, done) {
        simpleParser(stream).then((mail) => {
          mails.push(mail);
          done();
        }, done);
      },
      logger: false,
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    port = (smtp.server.address() as AddressInfo).port;
    t = await createTestApp({ PUBLIC_URL: 'https://ebm.example.org/', NOTIFY_POLL_MS: '100' });
    headers = (await t.apiUser('admin')).headers;
    loop = startDeliveryLoop(t.deps);
  });
  afterAll(async () => {
    await loop?.stop();
    await t?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const channel = async (name: string, language: 'fr' | 'en', password = PASSWORD): Promise<Json> => {
    const body = {
      name,
      kind: 'email',
      language,
      events: ['verification.failed'],
      config: {
        host: 'localhost',
        port,
        security: 'starttls',
        username: 'ebm',
        password,
        from: 'ebm@example.org',
        to: [`${name}@example.org`],
        ca_certificate: cert.cert,
      },
    };
    const res = await t.app.request('/api/notification-channels/', {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Json;
    expect(res.status, JSON.stringify(json)).toBe(201);
    return json;
  };

  it('mails a failed verification in each channel’s language, over STARTTLS with authentication', async () => {
    const fr = await channel('admins', 'fr');
    const en = await channel('oncall', 'en');
    expect(fr.config).toMatchObject({ has_password: true, security: 'starttls' });
    expect(JSON.stringify(fr)).not.toContain(PASSWORD);

    const { backup, server } = await seedVm(t.database.db, 'erp-db');
    const v = await seedVerification(t.database.db, backup.id, server.id, 'failed');
    await notifyVerificationFailed(t.deps, v.id);
    await waitDeliveries(t.database.db, fr.id, (rows) => rows[0]?.status === 'sent');
    await waitDeliveries(t.database.db, en.id, (rows) => rows[0]?.status === 'sent');

    const french = mails.find((m) => m.to && JSON.stringify(m.to).includes('admins@'));
    const english = mails.find((m) => m.to && JSON.stringify(m.to).includes('oncall@'));
    expect(french?.subject).toBe('Vérification échouée : erp-db');
    expect(french?.text).toContain(`de la VM erp-db (hôte ${server.name}) a échoué`);
    expect(french?.text).toContain('Erreur : La VM n’a pas démarré : heartbeat gray after 600 s.');
    expect(french?.text).toContain(`Ouvrir : https://ebm.example.org/surebackup/${v.id}`);
    expect(english?.subject).toBe('Verification failed: erp-db');
    expect(english?.text).toContain(`of VM erp-db (host ${server.name}) failed`);
    expect(english?.text).toContain('Error: The VM did not boot: heartbeat gray after 600 s.');
    expect(tlsSessions.length).toBeGreaterThanOrEqual(2);
    expect(tlsSessions.every(Boolean)).toBe(true);

    const list = (await (
      await t.app.request(`/api/notification-deliveries/?channel=${fr.id}`, { headers })
    ).json()) as Json[];
    expect(list).toMatchObject([
      { status: 'sent', attempts: 1, event: 'verification.failed', channel_name: 'admins' },
    ]);
    expect(list[0]?.response).toMatch(/^250 /);
    expect(t.logs()).not.toContain(PASSWORD);
  });

  it('“send a test” answers the server’s response line, or its refusal of a wrong password', async () => {
    const ok = await channel('test-ok', 'fr');
    const res = await t.app.request(`/api/notification-channels/${ok.id}/test/`, { method: 'POST', headers });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).response).toMatch(/^250 /);
    expect(mails.some((m) => m.subject === 'Test de notification ESXi Backup Manager')).toBe(true);

    const bad = await channel('test-bad', 'en', 'wrong-password');
    const refused = await t.app.request(`/api/notification-channels/${bad.id}/test/`, {
      method: 'POST',
      headers: { ...headers, 'Accept-Language': 'en' },
    });
    const json = (await refused.json()) as Json;
    expect(refused.status).toBe(502);
    expect(json.code).toBe('notification_test_failed');
    expect(json.response).toMatch(/^535 /);
    expect(json.message).toContain('The SMTP server refused or did not answer: 535');
  });
});
