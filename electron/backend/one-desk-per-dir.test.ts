// Two desks on one data directory each took the other's writes in flight for a stopped host's
// (unknown outcomes, "host-stopped") and its running batch for an interrupted one, which resuming
// wrote a second time. The second is refused at the start, saying why; the first runs on.
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SANDBOX_IDS } from '../../sandbox/index';
import { edited, startHarness } from '../test-support/desk-harness';
import { DataDirInUse } from './store/data-dir-lock';

const TASKS = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks`;

describe('one desk per data directory', () => {
  it('a second desk started on the directory of a running one is refused; the first’s save lands once and is not called unknown', async () => {
    const first = await startHarness();
    const { dataDir, sandbox } = first;
    try {
      const ref = await first.ref('TaskRouter', SANDBOX_IDS.taskSid);
      const base = await first.open(ref);
      await first.admin('POST', '/faults', {
        kind: 'delay',
        method: 'POST',
        pathPrefix: `${TASKS}/${SANDBOX_IDS.taskSid}`,
        delayMs: 300,
      });
      const saving = first.api.saveResource({
        ref,
        text: edited(base, (d) => (d['priority'] = 61)),
        baseJournalId: base.journalId,
      });
      await expect(startHarness({ dataDir, sandbox })).rejects.toThrow(DataDirInUse);
      await expect(startHarness({ dataDir, sandbox })).rejects.toThrow(
        `The data directory ${dataDir} is in use by another Conflict Desk`,
      );
      expect(await saving).toMatchObject({ kind: 'saved' });
      expect((await first.api.pendingOutcomes({})).pending).toEqual([]);
      // Closed, the first lets the directory go: the next start takes it and sees the save settled.
      await first.desk.close();
      const next = await startHarness({ dataDir, sandbox });
      expect((await next.api.pendingOutcomes({})).pending).toEqual([]);
      expect((await next.api.auditLog({ ref })).entries.at(-1)).toMatchObject({ state: 'settled' });
      await next.desk.close();
    } finally {
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
