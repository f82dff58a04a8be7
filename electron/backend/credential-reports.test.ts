// A server that names the credential as a write's new revision (its ETag): the batch's reports
// (rows, CSV and JSON, as the CLI and the page get them), the save's answer, the audit and the
// history must not carry it.
import { describe, expect, it } from 'vitest';
import type { ConnectionInput } from '../../shared/api/types';
import { itemsConnection, loopbackPerTest } from '../test-support/loopback-server';
import { saveConnection, type RealDesk } from '../test-support/real-round-trip';

const loopback = loopbackPerTest();
let desk: RealDesk;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const credentials: [ConnectionInput['auth'], string][] = [
  [{ kind: 'api-key-header', header: 'Accept', key: 'SECRET.ab/cd-8c1d44' }, 'SECRET.ab/cd-8c1d44'],
  [{ kind: 'bearer', token: 'tok/en+SECRET-55' }, encodeURIComponent('tok/en+SECRET-55')],
  [
    { kind: 'basic', username: 'ops', password: 'pw-SECRET-31' },
    Buffer.from('ops:pw-SECRET-31').toString('base64'),
  ],
];

describe('a write answered with an ETag that echoes the credential', () => {
  for (const [auth, echo] of credentials)
    it(`is named nowhere: batch reports, save answer, audit, history (${auth.kind})`, async () => {
      const { url } = await loopback.serve((req) =>
        req.method === 'PUT'
          ? { status: 200, headers: { etag: `"${echo}"` } }
          : { status: 200, headers: { etag: '"1"' }, body: '{"id":"a","n":1}' },
      );
      desk = loopback.startDesk();
      const connectionId = await saveConnection(desk.api, itemsConnection(url, auth));
      const ref = { connectionId, id: 'a' };
      const started = await desk.api.startBatch({
        connectionId,
        resourceIds: ['a'],
        intents: [{ kind: 'set', path: '/n', value: 2 }],
        maxAttempts: 1,
      });
      if (started.kind !== 'ok') throw new Error(started.message);
      const batchId = started.batch.batchId;
      for (;;) {
        const status = await desk.api.batchStatus({ batchId });
        if (status.kind === 'ok' && status.batch.state !== 'running') break;
        await sleep(20);
      }
      const opened = await desk.api.openResource({ ref });
      if (opened.kind !== 'ok') throw new Error(opened.message);
      const saved = await desk.api.saveResource({
        ref,
        text: '{"id":"a","n":3}',
        baseJournalId: opened.snapshot.journalId,
      });
      const shown = JSON.stringify([
        await desk.api.batchReport({ batchId, format: 'rows' }),
        await desk.api.batchReport({ batchId, format: 'csv' }),
        await desk.api.batchReport({ batchId, format: 'json' }),
        saved,
        await desk.api.auditLog({}),
        await desk.api.history({ ref }),
      ]);
      expect(shown).toContain('still holds the revision it was based on');
      expect(shown).not.toContain('SECRET');
      expect(shown).not.toContain(echo);
    });
});
