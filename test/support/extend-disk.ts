/**
 * @module test/support/extend-disk — what an administrator does when extending a VM's disk: a ReconfigVM_Task
 * editing the VirtualDisk with a larger capacity (the whole device as read, as clients send it). Sent as one
 * SOAP request on the app client's session, since the app itself never resizes disks (its trimmed WSDL has no
 * VirtualDisk type). Reference: vSphere API "VirtualMachine.ReconfigVM_Task", "VirtualDeviceConfigSpec".
 */
import http from 'node:http';
import https from 'node:https';
import type { MoRef, VSphereClient } from '../../src/vsphere/index.js';
import { asRecord, asString } from '../../src/vsphere/normalize.js';
import { retrieveOne } from '../../src/vsphere/property-collector.js';
import { waitForTask } from '../../src/vsphere/tasks.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Grows disk `key` of `vm` to `bytes` and waits for the task. @throws Error when the host refuses. */
export async function extendDisk(
  client: VSphereClient,
  vm: MoRef,
  key: number,
  bytes: number,
): Promise<void> {
  const props = await retrieveOne(client, vm, ['config.hardware.device']);
  const disk = (props['config.hardware.device'] as Array<Record<string, unknown>>).find(
    (d) => d._type === 'VirtualDisk' && Number(d.key) === key,
  );
  if (!disk) throw new Error(`no disk ${key}`);
  const backing = asRecord(disk.backing);
  const body = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><ReconfigVM_Task xmlns="urn:vim25"><_this type="VirtualMachine">${vm.value}</_this><spec><deviceChange><operation>edit</operation><device xsi:type="VirtualDisk"><key>${key}</key><backing xsi:type="VirtualDiskFlatVer2BackingInfo"><fileName>${esc(asString(backing.fileName))}</fileName><diskMode>${asString(backing.diskMode, 'persistent')}</diskMode><thinProvisioned>true</thinProvisioned></backing><controllerKey>${asString(disk.controllerKey)}</controllerKey><unitNumber>${asString(disk.unitNumber)}</unitNumber><capacityInKB>${Math.floor(bytes / 1024)}</capacityInKB><capacityInBytes>${bytes}</capacityInBytes></device></deviceChange></spec></ReconfigVM_Task></soapenv:Body></soapenv:Envelope>`;
  const url = new URL('/sdk', client.baseUrl);
  const lib = url.protocol === 'https:' ? https : http;
  const answer = await new Promise<string>((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: 'POST',
        agent: client.agent,
        headers: {
          'Content-Type': 'text/xml; charset=utf-8',
          SOAPAction: `urn:vim25/${client.apiVersion}`,
          Cookie: client.sessionCookie ?? '',
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(text))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  const task = /<returnval type="Task">([^<]+)<\/returnval>/.exec(answer)?.[1];
  if (!task) throw new Error(`no task in ${answer}`);
  await waitForTask(client, { type: 'Task', value: task });
}
