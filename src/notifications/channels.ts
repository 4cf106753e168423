/**
 * @module notifications/channels: turning a channel's input into its row (secrets sealed apart from the
 * config, the first daily summary slot) and its row into the API's JSON (secrets reduced to `has_*` flags).
 */
import type { Db } from '../db/client.js';
import { type ChannelInsert, type ChannelRow, isChannelNameTaken } from '../db/notification-channels.js';
import type { NotificationChannelConfig } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { invalidField } from '../errors.js';
import { nextRun } from '../schedule/index.js';
import type { ChannelInput } from './channel-schema.js';
import { mergeSecrets, secretFlags } from './channel-secrets.js';

/** The next daily summary slot of a channel after `from`. */
export function nextSummaryAt(
  channel: Pick<ChannelRow, 'summary_time' | 'summary_timezone'>,
  from = new Date(),
): Date | null {
  return nextRun({ preset: 'daily', time: channel.summary_time, timezone: channel.summary_timezone }, from);
}

/**
 * The row of a channel from its validated input.
 * @param current the stored row on an update (its secrets are kept unless the input changes them).
 * @throws InvalidInputError (400, field `name`) when another channel has that name.
 */
export async function channelColumns(
  deps: Pick<AppDeps, 'notificationSecrets'> & { db: Db },
  input: ChannelInput,
  current?: ChannelRow,
): Promise<ChannelInsert> {
  if (await isChannelNameTaken(deps.db, input.name, current?.id))
    throw invalidField('name', 'notify.error.name_taken');
  const { password, secret, token, ...rest } = input.config as Record<string, unknown> & {
    password?: string | null;
    secret?: string | null;
    token?: string | null;
  };
  const keptSealed = current && current.kind === input.kind ? current.secrets_sealed : null;
  const secrets_sealed = mergeSecrets(deps.notificationSecrets, keptSealed, { password, secret, token });
  const summaryChanged =
    !current ||
    current.summary_time !== input.summary_time ||
    current.summary_timezone !== input.summary_timezone;
  return {
    name: input.name,
    kind: input.kind,
    language: input.language,
    events: [...new Set(input.events)],
    is_active: input.is_active,
    config: rest as NotificationChannelConfig,
    secrets_sealed,
    summary_time: input.summary_time,
    summary_timezone: input.summary_timezone,
    attach_reports: input.attach_reports,
    ...(summaryChanged ? { summary_next_at: nextSummaryAt(input) } : {}),
  };
}

/** A stored channel as an input again, for PATCH (config merged over the stored one, secrets untouched). */
export function channelAsInput(row: ChannelRow, patch: Record<string, unknown>): Record<string, unknown> {
  const { name, kind, language, events, is_active, summary_time, summary_timezone, attach_reports } = row;
  const config =
    patch.config && typeof patch.config === 'object' && (patch.kind ?? kind) === kind
      ? { ...row.config, ...(patch.config as object) }
      : (patch.config ?? row.config);
  return {
    name,
    kind,
    language,
    events,
    is_active,
    summary_time,
    summary_timezone,
    attach_reports,
    ...patch,
    config,
  };
}

/** The API's JSON of a channel: its config with `has_password`, `has_secret`, `has_token` instead of secrets. */
export function channelJson(deps: Pick<AppDeps, 'notificationSecrets'>, row: ChannelRow) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    language: row.language,
    events: row.events,
    is_active: row.is_active,
    config: { ...row.config, ...secretFlags(deps.notificationSecrets, row.secrets_sealed) },
    summary_time: row.summary_time,
    summary_timezone: row.summary_timezone,
    attach_reports: row.attach_reports,
    summary_next_at: row.summary_next_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
