/**
 * @module surebackup/guest-checks: the checks after the boot, by test type: `boot_ping` pings the guest's IP,
 * `boot_ping_services` also opens a TCP connection to each requested service, `full` also runs the HTTP checks.
 * Results go to `ping_successful` and `services_checked` (`{"ssh": true, "custom_8080": false, ...}`).
 */
import type { VerificationRow } from '../db/verifications.js';
import { msg } from '../i18n/message.js';
import type { JobContext } from '../jobs/types.js';
import type { MoRef, VSphereClient } from '../vsphere/index.js';
import { waitForIp } from './boot.js';
import { checkHttp, checkService, httpCheckKey, pingHost } from './checks.js';
import type { Journal } from './journal.js';
import { pings, servicePort, servicesFor } from './services.js';

/**
 * Runs the checks of the verification's test type against the booted guest.
 * @param ip the guest IP seen at boot, or null (then waited for, at most the no-Tools grace period or 30 s).
 * @returns `passed` when every check passed, `warning` when one failed (the VM booted).
 * @throws the abort reason when cancelled; vSphere errors while reading the guest IP.
 */
export async function runGuestChecks(
  ctx: JobContext,
  v: VerificationRow,
  client: VSphereClient,
  vm: MoRef,
  ip: string | null,
  journal: Journal,
  record: (results: Partial<VerificationRow>) => Promise<void>,
): Promise<'passed' | 'warning'> {
  if (!pings(v.test_type)) return 'passed';
  const { config } = ctx.deps;
  const timeout = config.verificationCheckTimeoutSeconds;
  ctx.report({ progress: 80, step: msg('step.pinging') });
  const address =
    ip ?? (await waitForIp(client, vm, Math.max(config.verificationNoToolsGraceSeconds, 30), ctx.signal));
  const services = servicesFor(v.test_type, v.requested_services);
  const httpChecks = v.test_type === 'full' ? v.http_checks : [];
  if (!address) {
    await journal.log(msg('surebackup.log.no_ip'));
    const checked = Object.fromEntries([...services, ...httpChecks.map(httpCheckKey)].map((k) => [k, false]));
    await record({ ping_successful: false, services_checked: checked });
    return 'warning';
  }
  const ping = await pingHost(address, timeout);
  await journal.log(
    msg(ping.ok ? 'surebackup.log.ping_ok' : 'surebackup.log.ping_failed', { ip: address, how: ping.how }),
  );
  await record({ ping_successful: ping.ok });
  let ok = ping.ok;

  if (services.length || httpChecks.length) ctx.report({ progress: 85, step: msg('step.checking_services') });
  const checked: Record<string, boolean> = {};
  for (const service of services) {
    ctx.signal.throwIfAborted();
    const port = servicePort(service);
    const open = port !== null && (await checkService(address, port, timeout));
    checked[service] = open;
    ok &&= open;
    const line = open ? 'surebackup.log.service_open' : 'surebackup.log.service_closed';
    await journal.log(msg(line, { service, port: port ?? '?' }));
  }
  for (const check of httpChecks) {
    ctx.signal.throwIfAborted();
    const result = await checkHttp(address, check, timeout);
    checked[httpCheckKey(check)] = result.ok;
    ok &&= result.ok;
    const line = result.ok ? 'surebackup.log.http_passed' : 'surebackup.log.http_failed';
    await journal.log(msg(line, { detail: result.detail }));
  }
  if (services.length || httpChecks.length) await record({ services_checked: checked });
  return ok ? 'passed' : 'warning';
}
