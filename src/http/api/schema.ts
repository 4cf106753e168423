/**
 * @module http/api/schema: `GET /api/schema/`, the OpenAPI 3.1 document, and `GET /api/schema/swagger-ui/`,
 * Swagger UI on it. Both are open (mounted before the API's authentication): they describe the API and hold
 * no data. Swagger UI is served from this app's files (public/vendor/swagger-ui, `npm run vendor`), and its
 * start-up script is a file too (public/swagger-ui-init.js), so the page runs under the CSP `script-src 'self'`.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context.js';
import { openApiDocument } from '../openapi/document.js';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ESXi Backup Manager API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-url="/api/schema/"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/swagger-ui-init.js"></script>
</body>
</html>
`;

export const schemaApi = new Hono<AppEnv>()
  .get('/', (c) => c.json(openApiDocument()))
  .get('/swagger-ui', (c) => c.html(PAGE));
