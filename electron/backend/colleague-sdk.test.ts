// A colleague writing through the official twilio SDK (no If-Match, as most integrations do) while
// the operator edits: between open and save, and while the operator's merge is being saved. The
// server's own history decides whether anything was overwritten.
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, SANDBOX_IDS } from '../../sandbox/index';
import RequestClient from 'twilio/lib/base/RequestClient';
import { merge3, parseJson, stringifyJson, PRETTY } from '../../shared/json';
import { edited, expectKind, startHarness, type Harness } from '../test-support/desk-harness';

/** The SDK pointed at the sandbox: https://<product>.twilio.com/x → <sandbox>/<product>/x. */
class LocalRequestClient extends RequestClient {
  constructor(private readonly base: string) {
    super();
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const u = new URL(opts.uri);
    const local = new URL(this.base);
    u.pathname = `/${u.hostname.split('.')[0]!}${u.pathname}`;
    u.protocol = local.protocol;
    u.host = local.host;
    return super.request({ ...opts, uri: u.href });
  }
}

let h: Harness;
let sdk: ReturnType<typeof twilio>;
beforeAll(async () => {
  h = await startHarness();
  const { accountSid, authToken } = SANDBOX_CREDENTIALS.twilio;
  sdk = twilio(accountSid, authToken, { httpClient: new LocalRequestClient(h.sandbox.url) });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.admin('POST', '/reset', { seed: 'demo' });
});

const TASK_PATH = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${SANDBOX_IDS.taskSid}`;
const task = () =>
  sdk.taskrouter.v1.workspaces(SANDBOX_IDS.workspaceSid).tasks(SANDBOX_IDS.taskSid);
type Attributes = Record<string, unknown> & { customer: Record<string, unknown> };

/** The colleague's integration: read the attributes, change one, write them back without If-Match. */
async function colleagueSets(change: (a: Attributes) => void): Promise<void> {
  const current = await task().fetch();
  const attributes = JSON.parse(current.attributes) as Attributes;
  change(attributes);
  await task().update({ attributes: JSON.stringify(attributes) });
}

const serverAttributes = async () => JSON.parse((await task().fetch()).attributes) as Attributes;

describe('a colleague writing through the twilio SDK', () => {
  it('between open and save: a conflict holding their change; the resolved save keeps both', async () => {
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    const base = await h.open(ref);
    const mine = edited(base, (d) => ((d['attributes'] as Attributes)['language'] = 'de'));
    await colleagueSets((a) => (a.customer['tier'] = 'platinum'));
    const conflict = expectKind(
      await h.api.saveResource({ ref, text: mine, baseJournalId: base.journalId }),
      'conflict',
    );
    expect(conflict.afterLostAnswer).toBe(false);
    const [b, m, t] = [base.text, mine, conflict.theirs.text].map((x) => {
      const parsed = parseJson(x);
      if (!parsed.ok) throw new Error('unparsable');
      return parsed.value;
    });
    const merged = merge3(b!, m!, t!, conflict.mergeOptions);
    expect(merged.conflicts).toEqual([]);
    expectKind(
      await h.api.saveResource({
        ref,
        text: stringifyJson(merged.merged, PRETTY),
        baseJournalId: conflict.theirs.journalId,
      }),
      'saved',
    );
    expect(await serverAttributes()).toMatchObject({
      language: 'de',
      customer: { tier: 'platinum' },
    });
  });

  it('while the merge is being saved: refused as stale again (never written over theirs), and saved once merged with it', async () => {
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    const base = await h.open(ref);
    await colleagueSets((a) => (a.customer['tier'] = 'platinum'));
    const mine = edited(base, (d) => ((d['attributes'] as Attributes)['language'] = 'de'));
    const first = expectKind(
      await h.api.saveResource({ ref, text: mine, baseJournalId: base.journalId }),
      'conflict',
    );
    const resolved = edited(
      first.theirs,
      (d) => ((d['attributes'] as Attributes)['language'] = 'de'),
    );
    // The operator's merge is held up on its way; the colleague's SDK write lands first.
    await h.admin('POST', '/faults', {
      kind: 'delay',
      method: 'POST',
      pathPrefix: TASK_PATH,
      delayMs: 600,
    });
    const saving = h.api.saveResource({
      ref,
      text: resolved,
      baseJournalId: first.theirs.journalId,
    });
    await new Promise((r) => setTimeout(r, 150));
    await colleagueSets((a) => (a['vip'] = true));
    const second = expectKind(await saving, 'conflict');
    expect(JSON.parse(second.theirs.text)).toMatchObject({ attributes: { vip: true } });
    expect(await serverAttributes()).toMatchObject({ vip: true, language: 'en' });
    const again = edited(
      second.theirs,
      (d) => ((d['attributes'] as Attributes)['language'] = 'de'),
    );
    expectKind(
      await h.api.saveResource({ ref, text: again, baseJournalId: second.theirs.journalId }),
      'saved',
    );
    expect(await serverAttributes()).toMatchObject({
      vip: true,
      language: 'de',
      customer: { tier: 'platinum' },
    });
    // Two writes by the operator reached the server's history: none blind, one applied.
    const history = (
      await h.admin<{ revisions: Array<{ actor: string; op: string }> }>(
        'GET',
        `/history?path=${encodeURIComponent(TASK_PATH)}`,
      )
    ).body.revisions;
    expect(history.filter((r) => r.op !== 'create')).toHaveLength(3);
    const audit = (await h.api.auditLog({ ref })).entries.filter((a) => a.id >= first.auditId!);
    expect(audit.map((a) => a.outcome)).toEqual(['conflict (412)', 'conflict (412)', 'saved']);
  });
});
