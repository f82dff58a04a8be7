// Saves whose edit changes digits a double does not keep (0.10000000000000000001 → …02): the two
// read as one value, so a check that compares values cannot tell the edit from the old digits.
import { describe, expect, it } from 'vitest';
import { connectScripted, expectKind, harnessPerFile } from '../test-support/desk-harness';
import { startScriptedServer, type ScriptedAnswer } from '../test-support/scripted-server';

const h = harnessPerFile();

const doc = (amount: string, name = 'old') => `{"id":"a","name":"${name}","amount":${amount}}`;
const EDITED = '0.10000000000000000002';

/** A thing "a" holding …01 at revision 1; `write` answers the save (and may change the thing). */
async function saveOver(write: (state: { body: string; etag: number }) => ScriptedAnswer) {
  const state = { body: doc('0.10000000000000000001'), etag: 1 };
  const server = await startScriptedServer((req) =>
    req.method === 'GET'
      ? { status: 200, headers: { etag: `"${state.etag}"` }, body: state.body }
      : write(state),
  );
  try {
    const ref = (await connectScripted(h, server))('a');
    const base = await h.open(ref);
    const result = await h.api.saveResource({
      ref,
      text: base.text.replace('0.10000000000000000001', EDITED),
      baseJournalId: base.journalId,
    });
    const checked =
      'auditId' in result && typeof result.auditId === 'number'
        ? await h.api.checkOutcome({ auditId: result.auditId })
        : null;
    return { result, checked };
  } finally {
    await server.close();
  }
}

describe('a save of digits a double does not keep', () => {
  it('a 502 that applied nothing: the server still holds the base, not "exactly your edit"', async () => {
    // The intent was the value 0.1, which the base's …01 holds too: 'your-edit', and accepting
    // what the server holds would have settled the edit as written.
    const { result, checked } = await saveOver(() => ({ status: 502 }));
    expect(expectKind(result, 'unknown-outcome')).toMatchObject({ serverHolds: 'base' });
    expect(checked).toMatchObject({ kind: 'ok', pending: { serverHolds: 'base' } });
  });

  it('a 502 and a colleague’s change of another member: other content, and no merge offered (it would round the digits)', async () => {
    const { result } = await saveOver((state) => {
      state.body = doc('0.10000000000000000001', 'theirs');
      state.etag = 2;
      return { status: 502 };
    });
    const outcome = expectKind(result, 'unknown-outcome');
    expect(outcome.serverHolds).toBe('other');
    expect(outcome.message).toMatch(/digits a double does not keep.*none is offered/);
  });

  it('a 204 from a server that kept its rounding of the digits: partly applied, not saved', async () => {
    const { result } = await saveOver((state) => {
      state.body = doc('0.1');
      state.etag = 2;
      return { status: 204, headers: { etag: '"2"' } };
    });
    expect(result).toMatchObject({
      kind: 'partly-applied',
      missing: [{ path: '/amount', wanted: EDITED, found: '0.1' }],
    });
  });

  it('a 204 from a server that wrote the digits as typed: saved', async () => {
    const { result } = await saveOver((state) => {
      state.body = doc(EDITED);
      state.etag = 2;
      return { status: 204, headers: { etag: '"2"' } };
    });
    expect(result.kind, JSON.stringify(result)).toBe('saved');
  });
});
