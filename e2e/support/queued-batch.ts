// A one-task TaskRouter batch that ends in the conflict queue: its write is held by the sandbox
// while a colleague changes the task, so the write meets a 412 over the colleague's revision.
import { expect } from '@playwright/test';
import { Backend, callApi } from './backend';
import type { WebHost } from './web-host';

/** The TaskRouter connection's task ids (every page) and the sandbox path of a task. */
export async function taskRouterTasks(host: WebHost) {
  const backend = await Backend.of(host);
  const connection = backend.connection('TaskRouter');
  const workspace = connection.params['workspaceSid'];
  const all = await callApi<{ ids: string[] }>(host, 'countMatching', {
    connectionId: connection.id,
  });
  return {
    backend,
    connection,
    ids: all.ids,
    taskPath: (sid: string) => `/taskrouter/v1/Workspaces/${workspace}/Tasks/${sid}`,
  };
}

type Colleague = { fields: Record<string, unknown> } | { patch: unknown };

/**
 * Starts a batch setting /priority to `value` on task `sid` (or on each of several tasks); while
 * each write is held, the colleague's edit lands: `colleague` fields (a change of /priority: queued
 * on that path) or an attributes patch (another path: with maxAttempts 1, queued as "kept moving").
 * Waits until every target is queued and answers the batch's id.
 */
export async function queuedBatch(
  host: WebHost,
  sid: string | string[],
  options: {
    value: number;
    description?: string;
    maxAttempts?: number;
    /** The colleague's edit, or (several tasks) each task's. */
    colleague: Colleague | ((sid: string) => Colleague);
  },
): Promise<string> {
  const { backend, connection, taskPath } = await taskRouterTasks(host);
  const sids = typeof sid === 'string' ? [sid] : sid;
  for (const one of sids)
    await backend.fault({ kind: 'delay', method: 'POST', pathPrefix: taskPath(one), delayMs: 500 });
  const started = await callApi<{ batch: { batchId: string } }>(host, 'startBatch', {
    connectionId: connection.id,
    resourceIds: sids,
    intents: [{ kind: 'set', path: '/priority', value: options.value }],
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.description ? { description: options.description } : {}),
  });
  const waiting = new Set(sids);
  while (waiting.size > 0) {
    const audit = await callApi<{ entries: Array<{ state: string; resourceId: string }> }>(
      host,
      'auditLog',
      {},
    );
    const inFlight = audit.entries.filter(
      (e) => e.state === 'in-flight' && waiting.delete(e.resourceId),
    );
    for (const { resourceId } of inFlight) {
      const colleague =
        typeof options.colleague === 'function' ? options.colleague(resourceId) : options.colleague;
      if ('fields' in colleague)
        await backend.editAsSomeoneElse(taskPath(resourceId), undefined, colleague.fields);
      else await backend.editAsSomeoneElse(taskPath(resourceId), colleague.patch);
    }
    if (inFlight.length === 0) await new Promise((r) => setTimeout(r, 20));
  }
  await expect
    .poll(
      async () =>
        (
          await callApi<{ batch: { counts: Record<string, number> } }>(host, 'batchStatus', {
            batchId: started.batch.batchId,
          })
        ).batch.counts['queued'],
    )
    .toBe(sids.length);
  return started.batch.batchId;
}
