/** @module http/openapi/paths/operations: `/api/operations/`, the durable jobs of every type. */
import { operationFilters } from '../../api/operations.js';
import type { DocumentBuilder } from '../builder.js';
import { endpoint, list } from '../endpoints.js';
import { cancelResultSchema, operationSchema } from '../schemas/operations.js';

/** Adds the operation endpoints. */
export function operationPaths(doc: DocumentBuilder): void {
  const operation = doc.response('Operation', operationSchema);
  const cancelled = doc.response('CancelResult', cancelResultSchema);
  list(
    doc,
    {
      path: '/api/operations/',
      tag: 'operations',
      summary: 'List the active and recently finished operations',
      name: 'Operation',
      item: operation,
    },
    operationFilters,
  );
  endpoint(doc, {
    method: 'get',
    path: '/api/operations/{id}/',
    tag: 'operations',
    summary: 'One operation',
    ok: { 200: { description: 'The operation.', schema: operation } },
  });
  endpoint(doc, {
    method: 'post',
    path: '/api/operations/{id}/cancel/',
    tag: 'operations',
    summary: 'Cancel an operation',
    description:
      'A queued operation is cancelled at once (200); a running one is aborted and ends CANCELLED once cleaned up (202). A finished operation, or one whose type cannot be cancelled, is a 409.',
    role: 'operator',
    ok: {
      200: { description: 'Cancelled.', schema: cancelled },
      202: { description: 'Cancel requested.', schema: cancelled },
    },
    errors: [409],
  });
}
