/**
 * @module surebackup/checks: what a verification asks of a booted guest: ping (the system `ping` when present,
 * else a TCP connection to port 7 then 22, where a refusal also proves the host answers), TCP connections to
 * services, and HTTP checks (status and optional text).
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { HttpCheck } from '../db/schema.js';
import { type Message, msg } from '../i18n/message.js';

/** Where the system `ping` is (iputils-ping), or null. */
export async function findPing(): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    const file = path.join(dir || '.', 'ping');
    if (
      await access(file, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return file;
  }
  return null;
}

/**
 * Opens a TCP connection.
 * @param timeoutSeconds give up after this long.
 * @returns `open` (connected), `refused` (the host answered with a reset) or `unreachable` (timeout, no route).
 */
export function tcpProbe(
  host: string,
  port: number,
  timeoutSeconds: number,
): Promise<'open' | 'refused' | 'unreachable'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: 'open' | 'refused' | 'unreachable') => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutSeconds * 1000, () => done('unreachable'));
    socket.once('connect', () => done('open'));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done(err.code === 'ECONNREFUSED' ? 'refused' : 'unreachable'),
    );
  });
}

/**
 * Pings a guest.
 * @returns whether it answered, and how it was checked (for the log).
 */
export async function pingHost(ip: string, timeoutSeconds: number): Promise<{ ok: boolean; how: Message }> {
  const ping = await findPing();
  if (ping) {
    const wait = String(Math.max(1, Math.ceil(timeoutSeconds)));
    const ok = await new Promise<boolean>((resolve) =>
      execFile(ping, ['-c', '1', '-W', wait, ip], { timeout: (timeoutSeconds + 2) * 1000 }, (err) =>
        resolve(!err),
      ),
    );
    return { ok, how: msg('surebackup.ping.icmp', { command: ping }) };
  }
  for (const port of [7, 22]) {
    const result = await tcpProbe(ip, port, timeoutSeconds);
    if (result !== 'unreachable') {
      return {
        ok: true,
        how: msg(result === 'open' ? 'surebackup.ping.tcp_open' : 'surebackup.ping.tcp_refused', { port }),
      };
    }
  }
  return { ok: false, how: msg('surebackup.ping.tcp_none') };
}

/** Whether a TCP port of the guest accepts connections. */
export async function checkService(ip: string, port: number, timeoutSeconds: number): Promise<boolean> {
  return (await tcpProbe(ip, port, timeoutSeconds)) === 'open';
}

/** The key of an HTTP check in `services_checked`, e.g. `http_check:8080/health`. */
export const httpCheckKey = (check: HttpCheck) => `http_check:${check.port ?? 80}${check.path}`;

/**
 * Runs one HTTP GET check against the guest.
 * @returns ok when the status matches (and the body contains `expected_text` when given), with a detail line.
 */
export async function checkHttp(
  ip: string,
  check: HttpCheck,
  timeoutSeconds: number,
): Promise<{ ok: boolean; detail: Message }> {
  const host = ip.includes(':') ? `[${ip}]` : ip;
  const url = `http://${host}:${check.port ?? 80}${check.path.startsWith('/') ? '' : '/'}${check.path}`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutSeconds * 1000), redirect: 'manual' });
    const body = check.expected_text ? await res.text() : '';
    if (!check.expected_text) await res.body?.cancel();
    const status = res.status;
    if (status !== check.expected_status) {
      const detail = msg('surebackup.http.wrong_status', { url, status, expected: check.expected_status });
      return { ok: false, detail };
    }
    if (check.expected_text && !body.includes(check.expected_text)) {
      const detail = msg('surebackup.http.text_missing', { url, status, text: check.expected_text });
      return { ok: false, detail };
    }
    return { ok: true, detail: msg('surebackup.http.ok', { url, status }) };
  } catch (err) {
    return { ok: false, detail: fetchFailure(url, err, timeoutSeconds) };
  }
}

/** Why a fetch threw: a timeout, else the system's error code (`ECONNREFUSED`...) or its text. */
function fetchFailure(url: string, err: unknown, seconds: number): Message {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return msg('surebackup.http.timeout', { url, seconds });
  return msg('surebackup.http.failed', {
    url,
    reason: e?.cause?.code ?? e?.cause?.message ?? String(e?.message ?? e),
  });
}
