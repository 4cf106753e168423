/**
 * @module http/routes/schedules: `GET /schedules/preview`, the live preview of the schedule a form's fields
 * describe (in words, next three runs). Any signed-in user; reads nothing but the query.
 */
import { Hono } from 'hono';
import { SchedulePreview } from '../../../views/schedule/preview.js';
import type { AppEnv } from '../context.js';
import { render } from '../render.js';

export const scheduleRoutes = new Hono<AppEnv>().get('/preview', (c) =>
  render(c, <SchedulePreview values={c.req.query()} />),
);
