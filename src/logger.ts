/** @module logger: structured JSON logs (pino) that never carry secrets. */
import { type DestinationStream, pino } from 'pino';

/** Paths that are censored wherever they appear in a log record. */
const REDACT = [
  'password',
  '*.password',
  '*.*.password',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'req.headers.cookie',
  'req.headers.authorization',
  'cookie',
  '*.cookie',
  'secret',
  '*.secret',
  '*.*.secret',
];

/**
 * Creates the app's logger.
 * @param level pino level name (`info`, `debug`, ..., `silent`).
 * @param destination where JSON lines go (standard output by default).
 */
export function createLogger(level: string, destination?: DestinationStream) {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}

export type Logger = ReturnType<typeof createLogger>;
