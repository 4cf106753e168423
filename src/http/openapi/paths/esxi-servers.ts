/** @module http/openapi/paths/esxi-servers: `/api/esxi-servers/` and its actions. */
import { serverCreateSchema, serverUpdateSchema } from '../../../inventory/servers.js';
import type { DocumentBuilder } from '../builder.js';
import { endpoint, list } from '../endpoints.js';
import { connectionTestSchema, esxiServerSchema, syncResultSchema } from '../schemas/esxi-servers.js';

const tag = 'esxi-servers';
const base = '/api/esxi-servers/';
const detail = `${base}{id}/`;
const probed =
  'The host is logged in to first (certificate pinned on first use over HTTPS): a wrong password or an unreachable host is a 400 naming the field.';

/** Adds the ESXi server endpoints. */
export function esxiServerPaths(doc: DocumentBuilder): void {
  const server = doc.response('EsxiServer', esxiServerSchema);
  const one = (description: string) => ({ 200: { description, schema: server } });
  list(doc, { path: base, tag, summary: 'List the ESXi servers', name: 'EsxiServer', item: server });
  endpoint(doc, {
    method: 'post',
    path: base,
    tag,
    summary: 'Register an ESXi server',
    description: `${probed} Its inventory is synchronised at once.`,
    role: 'admin',
    body: doc.request('EsxiServerCreate', serverCreateSchema, 'The password is write-only.'),
    ok: { 201: { description: 'The new server.', schema: server } },
  });
  endpoint(doc, { method: 'get', path: detail, tag, summary: 'One ESXi server', ok: one('The server.') });
  endpoint(doc, {
    method: 'put',
    path: detail,
    tag,
    summary: 'Replace an ESXi server’s settings',
    description: `Every field but the password (omitted: kept). ${probed}`,
    role: 'admin',
    body: doc.request('EsxiServerPut', serverCreateSchema.partial({ password: true })),
    ok: one('The server.'),
  });
  endpoint(doc, {
    method: 'patch',
    path: detail,
    tag,
    summary: 'Change some settings of an ESXi server',
    description: `Any subset of the fields; an empty password keeps the stored one. ${probed}`,
    role: 'admin',
    body: doc.request('EsxiServerPatch', serverUpdateSchema),
    ok: one('The server.'),
  });
  endpoint(doc, {
    method: 'delete',
    path: detail,
    tag,
    summary: 'Delete an ESXi server and its inventory',
    role: 'admin',
    ok: { 204: { description: 'Deleted.', schema: null } },
  });
  endpoint(doc, {
    method: 'post',
    path: `${detail}test_connection/`,
    tag,
    summary: 'Test the connection with the stored credentials',
    description: 'Records the outcome on the server. A changed certificate is a 409, another failure a 502.',
    role: 'operator',
    ok: {
      200: {
        description: 'The host answered.',
        schema: doc.response('ConnectionTest', connectionTestSchema),
      },
    },
    errors: [409, 502],
  });
  endpoint(doc, {
    method: 'post',
    path: `${detail}sync/`,
    tag,
    summary: 'Synchronise the inventory (VMs, datastores) now',
    role: 'operator',
    ok: { 200: { description: 'What the host has.', schema: doc.response('SyncResult', syncResultSchema) } },
    errors: [409, 502],
  });
  endpoint(doc, {
    method: 'post',
    path: `${detail}trust_certificate/`,
    tag,
    summary: 'Trust the certificate the host presents now',
    description: 'After a certificate change (409 elsewhere). A server reached over HTTP is a 400.',
    role: 'admin',
    ok: one('The server with its new thumbprint.'),
    errors: [400, 502],
  });
}
