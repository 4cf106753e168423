/** @module vsphere/tasks — waiting for vSphere Task objects to finish, with progress and typed failures. */
import { msg } from '../i18n/message.js';
import type { VSphereClient } from './client.js';
import { faultError, VSphereError } from './errors.js';
import { asNumber, asRecord, asString, type MoRef } from './normalize.js';
import { retrieveOne } from './property-collector.js';

/** Options for {@link waitForTask}. */
export interface WaitForTaskOptions {
  /** Called with the task's progress, 0-100, whenever it changes. */
  onProgress?: (percent: number) => void;
  /** Give up after this many milliseconds (default: no limit). The task keeps running on the host. */
  timeoutMs?: number;
  /** Stop waiting when aborted (throws the signal's reason). */
  signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Builds the error for a failed task from its `info.error` (a LocalizedMethodFault).
 * Known fault types keep their code (`InvalidPowerState`, `RestrictedVersion`, ...); others are `TaskFailed`.
 */
export function taskError(error: unknown, taskName: string): VSphereError {
  const e = asRecord(error);
  const fault = asRecord(e.fault);
  const faultType = asString(fault._type, 'SystemError');
  const message = asString(e.localizedMessage);
  const text = message.startsWith('*types.') ? '' : message;
  const err = faultError(faultType, text, 'TaskFailed', error, fault);
  if (err.code !== 'TaskFailed') return err;
  return new VSphereError(
    'TaskFailed',
    msg('vsphere.task_failed', { task: taskName, text: text || faultType }),
    {
      faultType,
      cause: error,
    },
  );
}

/**
 * Polls a Task's `info` until it succeeds or fails (interval 100 ms growing to 2 s).
 * @param taskRef the Task MoRef returned by a `*_Task` method.
 * @returns the task's normalised `info.result` (e.g. the new snapshot's MoRef), or `undefined`.
 * @throws VSphereError from the task's `info.error` (`TaskFailed` or a specific code), `Timeout`,
 *   `ManagedObjectNotFound` if the task vanished.
 * Reference: vSphere API "Task" managed object, "TaskInfo" data object.
 */
export async function waitForTask(
  client: VSphereClient,
  taskRef: MoRef,
  options: WaitForTaskOptions = {},
): Promise<unknown> {
  const deadline =
    options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
  let lastProgress = -1;
  let delay = 100;
  for (;;) {
    options.signal?.throwIfAborted();
    const props = await retrieveOne(client, taskRef, ['info']);
    const info = asRecord(props.info);
    const state = asString(info.state);
    const progress = state === 'success' ? 100 : asNumber(info.progress);
    if (progress !== null && progress !== lastProgress && options.onProgress) {
      lastProgress = progress;
      options.onProgress(Math.max(0, Math.min(100, progress)));
    }
    if (state === 'success') return info.result ?? undefined;
    if (state === 'error') throw taskError(info.error, asString(info.descriptionId) || taskRef.value);
    if (Date.now() + delay > deadline) {
      throw new VSphereError('Timeout', msg('vsphere.task_timeout', { task: taskRef.value, state }));
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 2_000);
  }
}

/**
 * Calls a `*_Task` method and waits for its completion.
 * @returns the task's result (see {@link waitForTask}).
 */
export async function runTask(
  client: VSphereClient,
  method: string,
  args: Record<string, unknown>,
  options: WaitForTaskOptions = {},
): Promise<unknown> {
  const task = (await client.call(method, args)) as MoRef;
  return waitForTask(client, task, options);
}

/**
 * Asks the host to cancel a running task (Task.CancelTask). The task then ends in `error` with
 * `RequestCanceled`, unless it was not cancelable or had already ended: then it ends as it would have.
 * @returns false when the host refused (the task is not cancelable, or is over).
 * Reference: vSphere API "Task.CancelTask", "TaskInfo.cancelable".
 */
export async function cancelTask(client: VSphereClient, task: MoRef): Promise<boolean> {
  try {
    await client.call('CancelTask', { _this: task });
    return true;
  } catch {
    return false;
  }
}
