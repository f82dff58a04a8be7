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

/**
 * Starts a batch setting /priority to `value` on task `sid`; while its write is held, the
 * colleague's edit lands: `colleague` fields (a change of /priority: queued on that path) or an
 * attributes patch (another path: with maxAttempts 1, queued as "kept moving"). Waits until the
 * target is queued and answers the batch's id.
 */
export async function queuedBatch(
  host: WebHost,
  sid: string,
  options: {
    value: number;
    description?: string;
    maxAttempts?: number;
    colleague: { fields: Record<string, unknown> } | { patch: unknown };
  },
): Promise<string> {
  const { backend, connection, taskPath } = await taskRouterTasks(host);
  await backend.fault({ kind: 'delay', method: 'POST', pathPrefix: taskPath(sid), delayMs: 500 });
  const started = await callApi<{ batch: { batchId: string } }>(host, 'startBatch', {
    connectionId: connection.id,
    resourceIds: [sid],
    intents: [{ kind: 'set', path: '/priority', value: options.value }],
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.description ? { description: options.description } : {}),
  });
  for (let struck = false; !struck;) {
    const audit = await callApi<{ entries: Array<{ state: string; resourceId: string }> }>(
      host,
      'auditLog',
      {},
    );
    if (audit.entries.some((e) => e.state === 'in-flight' && e.resourceId === sid)) {
      const { colleague } = options;
      if ('fields' in colleague)
        await backend.editAsSomeoneElse(taskPath(sid), undefined, colleague.fields);
      else await backend.editAsSomeoneElse(taskPath(sid), colleague.patch);
      struck = true;
    } else await new Promise((r) => setTimeout(r, 20));
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
    .toBe(1);
  return started.batch.batchId;
}
