/**
 * @module http/routes/failover: the Failover page (`/failover`): the history of failover events with their
 * step log and status, and its self-refreshing fragment (`/failover/events`).
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2 (FailoverEvent, failover process)
 */
import { Hono } from 'hono';
import { FailoverEvents, FailoverPage } from '../../../views/failover/page.js';
import { listFailoverEvents } from '../../db/failover-events.js';
import type { AppEnv } from '../context.js';
import { render } from '../render.js';

export const failoverRoutes = new Hono<AppEnv>()
  .get('/', async (c) =>
    render(c, <FailoverPage events={(await listFailoverEvents(c.get('deps').db)).rows} />),
  )
  .get('/events', async (c) =>
    render(c, <FailoverEvents events={(await listFailoverEvents(c.get('deps').db)).rows} />),
  );
