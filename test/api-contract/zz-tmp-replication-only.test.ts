import { afterAll, beforeAll, it } from 'vitest';
import { replicationFlow } from './flows-replication.js';
import { type Contract, startContract } from './support.js';

let contract: Contract;
beforeAll(async () => {
  contract = await startContract();
});
afterAll(async () => contract?.close());
it('replication flow alone', async () => {
  const { sim, call } = contract;
  const fields = {
    hostname: sim.hostname,
    port: sim.port,
    protocol: sim.protocol,
    username: sim.username,
    password: sim.password,
  };
  const source = await call('POST', '/api/esxi-servers/', {
    body: { name: 'source', ...fields },
    status: 201,
  });
  const destination = await call('POST', '/api/esxi-servers/', {
    body: { name: 'destination', ...fields },
    status: 201,
  });
  await call('POST', '/api/esxi-servers/{id}/sync/', { params: { id: source.id }, status: 200 });
  const vms = await call('GET', '/api/virtual-machines/', { query: `esxi_server=${source.id}`, status: 200 });
  const ds = await call('GET', '/api/datastores/', { query: `esxi_server=${source.id}`, status: 200 });
  await replicationFlow(contract, {
    source: source.id,
    destination: destination.id,
    vm: vms[0],
    datastore: ds[0].name,
  });
});
