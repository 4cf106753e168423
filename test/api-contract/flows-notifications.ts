/**
 * @module test/api-contract/flows-notifications: contract calls for notification channels (CRUD, a test
 * refused by a port nobody listens on: 502 with its response), the outbox list with its filters, and both PDF
 * reports.
 */
import { createServer } from 'node:net';
import { expect } from 'vitest';
import type { Contract } from './support.js';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Channels, deliveries and reports. */
export async function notificationFlow({ call, roles }: Contract): Promise<void> {
  const base = '/api/notification-channels/';
  const port = await closedPort();
  const hook = await call('POST', base, {
    body: {
      name: 'ops-hook',
      kind: 'webhook',
      events: ['verification.failed'],
      config: { url: `http://127.0.0.1:${port}/x`, secret: 's3cret' },
    },
    status: 201,
  });
  expect(hook.config).toMatchObject({ has_secret: true, has_token: false });
  const mail = await call('POST', base, {
    body: {
      name: 'ops-mail',
      kind: 'email',
      language: 'en',
      events: ['daily_summary'],
      config: {
        host: '127.0.0.1',
        port,
        security: 'none',
        from: 'ebm@example.org',
        to: ['ops@example.org'],
        password: 'pw',
      },
    },
    status: 201,
  });
  await call('POST', base, {
    body: { name: 'ops-hook', kind: 'webhook', config: { url: 'https://x.example' } },
    status: 400,
  });
  await call('POST', base, {
    body: { name: 'viewer', kind: 'webhook', config: { url: 'https://x.example' } },
    as: roles.viewer,
    status: 403,
  });
  await call('GET', base, { status: 200, as: roles.viewer });
  await call('GET', base, { query: 'page=1', status: 200 });
  await call('GET', `${base}{id}/`, { params: { id: hook.id }, status: 200 });
  await call('PUT', `${base}{id}/`, {
    params: { id: mail.id },
    body: {
      name: 'ops-mail',
      kind: 'email',
      events: ['daily_summary'],
      config: { host: '127.0.0.1', port, from: 'ebm@example.org', to: ['a@example.org'] },
    },
    status: 200,
  });
  const patched = await call('PATCH', `${base}{id}/`, {
    params: { id: hook.id },
    body: { config: { format: 'slack' } },
    status: 200,
  });
  expect(patched.config).toMatchObject({ format: 'slack', has_secret: true });
  const roundTrip = await call('PUT', `${base}{id}/`, {
    params: { id: hook.id },
    body: patched,
    status: 200,
  });
  expect(roundTrip.config).toMatchObject({ format: 'slack', has_secret: true });
  const failed = await call('POST', `${base}{id}/test/`, { params: { id: hook.id }, status: 502 });
  expect(failed).toMatchObject({ code: 'notification_test_failed', response: null });
  await call('POST', `${base}{id}/test/`, { params: { id: 999_999 }, status: 404 });
  await call('GET', '/api/notification-deliveries/', {
    query: `status=pending&channel=${hook.id}`,
    status: 200,
  });
  await call('GET', '/api/notification-deliveries/', { query: 'status=lost', status: 400 });
  await call('GET', '/api/notification-deliveries/', { query: 'page_size=5', status: 200 });
  await call('GET', '/api/reports/verifications.pdf', {
    query: 'from=2026-01-01&to=2026-01-31&lang=en',
    status: 200,
  });
  await call('GET', '/api/reports/verifications.pdf', { query: 'from=2026-02-30', status: 400 });
  await call('GET', '/api/reports/protection.pdf', { status: 200, as: roles.viewer });
  await call('DELETE', `${base}{id}/`, { params: { id: mail.id }, status: 204 });
  await call('DELETE', `${base}{id}/`, { params: { id: mail.id }, status: 404 });
}
