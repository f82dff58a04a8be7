// A write answered by a server that made the resource anew from the changed fields alone (an
// upsert on a resource deleted meanwhile), at a size where the save's check of the fields gone
// once compared each with every changed path. Its own file: the hostile-answers file gives the
// server 0.3 s to answer, and a document of 240,000 fields takes longer than that to send on a
// loaded machine.
import { describe, it, expect } from 'vitest';
import type { ResourceRef } from '../../shared/api/types';
import { connectScripted, edited, expectKind, harnessPerFile } from '../test-support/desk-harness';
import { startScriptedServer } from '../test-support/scripted-server';

const h = harnessPerFile();

describe('a write that made the resource anew from the changed fields alone', () => {
  it('a hundred thousand fields left as they were and gone: partly applied, each named, without comparing each with every changed path', async () => {
    // A 240,000-field document; the operator changes half. The server keeps only what was
    // changed (an upsert on a resource deleted meanwhile), so 120,000 unchanged fields vanished.
    // Each was compared with every changed path: minutes. The test's time limit is the guard.
    const n = 240_000;
    const fields: Record<string, number | string> = { id: 'a' };
    for (let i = 0; i < n; i++) fields[`f${i}`] = i;
    let doc = JSON.stringify(fields);
    const upstream = await startScriptedServer((req) => {
      if (req.method === 'GET')
        return { status: 200, headers: { etag: doc.length > 3e6 ? '"1"' : '"2"' }, body: doc };
      const sent = JSON.parse(req.body) as Record<string, unknown>;
      doc = JSON.stringify(
        Object.fromEntries(Object.entries(sent).filter(([key, value]) => value !== fields[key])),
      );
      return { status: 204, headers: { etag: '"2"' } };
    });
    const ref: ResourceRef = (await connectScripted(h, upstream))('a');
    const base = await h.open(ref);
    const result = await h.api.saveResource({
      ref,
      baseJournalId: base.journalId,
      text: edited(base, (d) => {
        for (let i = 0; i < n; i += 2) d[`f${i}`] = 'mine';
      }),
    });
    const partly = expectKind(result, 'partly-applied');
    expect(partly.missing).toHaveLength(n / 2);
    expect(partly.missing).toContainEqual({ path: '/f1', wanted: '1', found: null });
    expect(partly.missing).not.toContainEqual(expect.objectContaining({ path: '/f0' }));
    await upstream.close();
  }, 20_000);
});
