/**
 * @module notifications/watcher: the periodic pass (NOTIFY_WATCH_INTERVAL_SECONDS) that raises the events no
 * job raises: a replication in error for longer than REPLICATION_ERROR_NOTIFY_SECONDS, a storage path (and
 * the repository in it) under LOW_SPACE_PERCENT free (once when it crosses, again only after it recovered),
 * and each channel's daily summary at its time; it also removes the events older than NOTIFY_RETENTION_DAYS
 * whose deliveries are all done. Every event is claimed by a conditional UPDATE and recorded
 * in the same transaction, so one process sends it, once; a slot missed while the app was down is sent once.
 */

import { claimSummary, dueSummaryChannels } from '../db/notification-channels.js';
import { claimCondition, clearConditions, holdCondition } from '../db/notification-conditions.js';
import { pruneEvents } from '../db/notification-outbox.js';
import { listReplications } from '../db/replications.js';
import { listStoragePaths } from '../db/storage-paths.js';
import type { AppDeps } from '../deps.js';
import { msg } from '../i18n/message.js';
import { storageSpace } from '../storage/storage-paths.js';
import { nextSummaryAt } from './channels.js';
import { errorLine, notify, storedParam } from './emit.js';
import { dailySummary, neutralTime } from './summary.js';

async function watchReplications(deps: AppDeps): Promise<void> {
  const inError = (await listReplications(deps.db)).filter((r) => r.is_active && r.status === 'error');
  const keys = inError.map((r) => `replication:${r.id}`);
  await clearConditions(deps.db, 'replication:', keys);
  for (const r of inError) {
    const key = `replication:${r.id}`;
    await holdCondition(deps.db, key);
    await deps.db.transaction(async (tx) => {
      const since = await claimCondition(tx, key, deps.config.replicationErrorNotifySeconds);
      if (!since) return;
      const names = {
        replication: r.name,
        vm: r.vm_name,
        source: r.source_server_name,
        destination: r.destination_server_name,
      };
      await notify(
        deps,
        'replication.error',
        {
          title: msg('notify.replication.error.title', { vm: r.vm_name }),
          lines: [
            msg('notify.replication.line', { ...names, since: `${neutralTime(since, 'UTC')} UTC` }),
            errorLine(storedParam(r.last_error)),
          ],
          link: '/replication/',
          facts: { ...names, host: r.source_server_name, replication_id: r.id },
          severity: 'error',
        },
        { db: tx },
      );
    });
  }
}

async function watchStorage(deps: AppDeps): Promise<void> {
  const threshold = deps.config.lowSpacePercent;
  const low: string[] = [];
  for (const s of (await listStoragePaths(deps.db)).filter((p) => p.is_active)) {
    const space = await storageSpace(s.path);
    if (!space || space.capacity_bytes <= 0) continue;
    const percent = (space.free_bytes / space.capacity_bytes) * 100;
    if (percent >= threshold) continue;
    const key = `storage:${s.id}`;
    low.push(key);
    await holdCondition(deps.db, key);
    await deps.db.transaction(async (tx) => {
      if (!(await claimCondition(tx, key, 0))) return;
      const gib = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GiB`;
      const params = {
        storage: s.name,
        path: s.path,
        free: gib(space.free_bytes),
        capacity: gib(space.capacity_bytes),
        percent: percent.toFixed(1),
        threshold,
      };
      await notify(
        deps,
        'storage.low_space',
        {
          title: msg('notify.storage.low_space.title', { storage: s.name }),
          lines: [msg('notify.storage.line', params)],
          link: '/storage-paths/',
          facts: {
            storage_path: s.name,
            path: s.path,
            free_bytes: space.free_bytes,
            capacity_bytes: space.capacity_bytes,
            host: null,
            vm: null,
          },
          severity: 'warning',
        },
        { db: tx },
      );
    });
  }
  await clearConditions(deps.db, 'storage:', low);
}

async function sendSummaries(deps: AppDeps, now: Date): Promise<void> {
  for (const channel of await dueSummaryChannels(deps.db, now)) {
    const next = nextSummaryAt(channel, now);
    if (!next) continue;
    await deps.db.transaction(async (tx) => {
      if (!(await claimSummary(tx, channel, next)) || !channel.summary_next_at) return;
      const content = await dailySummary(tx, now, channel.summary_timezone);
      await notify(deps, 'daily_summary', content, { db: tx, channelIds: [channel.id] });
    });
  }
}

/** One pass; each part's failure is logged, never thrown. */
export async function watchOnce(deps: AppDeps, now = new Date()): Promise<void> {
  for (const [name, part] of [
    ['replications', watchReplications],
    ['storage', watchStorage],
    ['summaries', sendSummaries],
    ['prune', (d: AppDeps) => pruneEvents(d.db, d.config.notifyRetentionDays)],
  ] as const) {
    await part(deps, now).catch((err: unknown) =>
      deps.logger.warn({ err, part: name }, 'notification watcher pass failed'),
    );
  }
}

/** Starts the watcher (a first pass at once). @returns a function that stops it. */
export function startNotificationWatcher(deps: AppDeps): () => void {
  const seconds = deps.config.notifyWatchIntervalSeconds;
  if (seconds <= 0) return () => {};
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    void watchOnce(deps).finally(() => {
      busy = false;
    });
  };
  const timer = setInterval(tick, seconds * 1000);
  timer.unref();
  setImmediate(tick);
  return () => clearInterval(timer);
}
