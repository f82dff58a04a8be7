// Batch throughput: 1,000 tasks changed through the backend (read, apply the intent, conditional
// write, verify) against the embedded sandbox, at concurrency 1, 4 and 16. Targets per second.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SANDBOX_CREDENTIALS, SANDBOX_IDS } from '../sandbox/index';
import { createDesk } from '../electron/backend/desk-service';
import { startEmbeddedSandbox } from '../electron/backend/embedded-sandbox';
import { keyFileSecretBox } from '../electron/backend/secrets';

const TARGETS = 1000;
const CONCURRENCY = [1, 4, 16];

export async function run(): Promise<void> {
  const sandbox = await startEmbeddedSandbox();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cd-bench-batch-'));
  const desk = createDesk({
    host: 'web',
    version: 'bench',
    dataDir,
    secretBox: keyFileSecretBox(dataDir),
    sandbox,
  });
  try {
    const tasks = `${sandbox.url}/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks`;
    const auth = `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.twilio.accountSid}:${SANDBOX_CREDENTIALS.twilio.authToken}`).toString('base64')}`;
    for (let i = SANDBOX_IDS.taskSids.length; i < TARGETS; i++) {
      const res = await fetch(tasks, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          Attributes: JSON.stringify({ subject: `bench ${i}` }),
          Priority: '1',
        }).toString(),
      });
      if (res.status !== 201) throw new Error(`creating task ${i}: ${res.status}`);
    }
    const connection = (await desk.api.listConnections({})).find((c) =>
      c.name.includes('TaskRouter'),
    )!;
    const all = await desk.api.countMatching({ connectionId: connection.id });
    if (all.kind !== 'ok' || all.count !== TARGETS) throw new Error(`expected ${TARGETS} tasks`);
    console.log(
      `\nBatch over ${TARGETS} tasks (set /priority and add a skill in attributes; read + conditional write + verify each)`,
    );
    console.log(['concurrency', 'targets/s', 'seconds', 'applied', 'other'].join('\t'));
    for (const [round, concurrency] of CONCURRENCY.entries()) {
      const started = performance.now();
      const batch = await desk.api.startBatch({
        connectionId: connection.id,
        resourceIds: all.ids,
        concurrency,
        intents: [
          { kind: 'set', path: '/priority', value: 10 + round },
          { kind: 'add-element', path: '/attributes/skills', value: `bench-${round}` },
        ],
      });
      if (batch.kind !== 'ok') throw new Error(batch.message);
      let status = batch.batch;
      while (status.state === 'running') {
        await new Promise((r) => setTimeout(r, 50));
        const next = await desk.api.batchStatus({ batchId: status.batchId });
        if (next.kind !== 'ok') throw new Error(next.message);
        status = next.batch;
      }
      const seconds = (performance.now() - started) / 1000;
      const applied = status.counts.applied + status.counts.reapplied;
      console.log(
        [
          concurrency,
          (TARGETS / seconds).toFixed(1),
          seconds.toFixed(2),
          applied,
          TARGETS - applied,
        ].join('\t'),
      );
    }
  } finally {
    await desk.close();
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
