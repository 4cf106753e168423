/**
 * @module notifications/channel-secrets: the secrets of a channel (SMTP password, webhook secret, Gotify or
 * ntfy token), sealed together as one JSON object with the secret box `notification-secrets`. They are read
 * only to deliver; answers and pages say only whether each one is set.
 */
import type { SecretBox } from '../crypto/secret-box.js';

export interface ChannelSecrets {
  password?: string;
  secret?: string;
  token?: string;
}

const NAMES = ['password', 'secret', 'token'] as const;

/** The stored secrets, opened. @throws AppError `secret_unreadable` when APP_SECRET changed. */
export function openSecrets(box: SecretBox, sealed: string | null): ChannelSecrets {
  return sealed ? (JSON.parse(box.open(sealed)) as ChannelSecrets) : {};
}

/**
 * The sealed secrets after an update: a string sets a secret, null removes it, undefined keeps the stored one.
 * @returns the text for `secrets_sealed`, null when none is left.
 */
export function mergeSecrets(
  box: SecretBox,
  sealed: string | null,
  changes: Partial<Record<keyof ChannelSecrets, string | null | undefined>>,
): string | null {
  const current = sealed ? openSecrets(box, sealed) : {};
  const next: ChannelSecrets = {};
  for (const name of NAMES) {
    const change = changes[name];
    const value = change === undefined ? current[name] : change;
    if (value) next[name] = value;
  }
  return Object.keys(next).length ? box.seal(JSON.stringify(next)) : null;
}

/** Which secrets a channel has, for answers and pages: `{ has_password: true, ... }`. */
export function secretFlags(box: SecretBox, sealed: string | null): Record<string, boolean> {
  let open: ChannelSecrets = {};
  try {
    open = openSecrets(box, sealed);
  } catch {
    open = {};
  }
  return { has_password: !!open.password, has_secret: !!open.secret, has_token: !!open.token };
}
