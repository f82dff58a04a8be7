// An exception inside the backend (a bug) is printed whole in the host's log (ipc.ts,
// web/server.ts). Its text can hold a saved credential (a URL with a query credential, a header
// echoed in a message): the log gets it masked, like every answer the backend gives.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startWebHost, TOKEN_HEADER, type RunningWebHost } from '../web/server';
import { startHarness, type Harness } from '../test-support/desk-harness';
import type { EmbeddedSandbox } from './embedded-sandbox';
import { MASK, maskThrown } from './secret-mask';

const TOKEN = 'SECRET-token-7f3a9c21';

describe('maskThrown', () => {
  it('masks a secret in the message, the stack, a string code and the causes', () => {
    const cause = new Error(`GET https://api.example/items?sig=${TOKEN} refused`);
    const thrown = Object.assign(new TypeError(`Bearer ${TOKEN} was not accepted`, { cause }), {
      code: `E_${TOKEN}`,
      input: `https://api.example/?sig=${TOKEN}`,
    });
    const masked = maskThrown(thrown, () => [TOKEN]);
    expect(masked.name).toBe('TypeError');
    expect(masked.message).toBe(`Bearer ${MASK} was not accepted`);
    expect(masked.stack).toContain(`Bearer ${MASK} was not accepted`);
    expect((masked as { code?: string }).code).toBe(`E_${MASK}`);
    expect((masked.cause as Error).message).toContain(`sig=${MASK}`);
    // Nothing else the exception carried (Node's URL errors keep their input) is kept.
    expect(JSON.stringify({ ...masked, stack: masked.stack })).not.toContain(TOKEN);
    expect((masked as { input?: string }).input).toBeUndefined();
  });

  it('masks what is thrown when it is not an Error, and withholds the text when secrets cannot be read', () => {
    expect(maskThrown(`token ${TOKEN}`, () => [TOKEN]).message).toBe(`thrown: token ${MASK}`);
    expect(maskThrown({ url: `?sig=${TOKEN}` }, () => [TOKEN]).message).not.toContain(TOKEN);
    const withheld = maskThrown(new Error(TOKEN), () => {
      throw new Error('the key file cannot be read');
    });
    expect(withheld.message).toContain('withheld');
    expect(`${withheld.message} ${withheld.stack}`).not.toContain(TOKEN);
  });
});

describe('an exception inside the backend', () => {
  let harness: Harness | undefined;
  let host: RunningWebHost | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await host?.close();
    await harness?.close();
  });

  it('reaches the host’s log with the saved credential masked, in both hosts’ ways of failing', async () => {
    // A sandbox whose request log breaks, with a saved credential in the words of its failure.
    const sandbox: EmbeddedSandbox = {
      url: 'http://127.0.0.1:9',
      suggestedUrl: 'http://127.0.0.1:9/',
      connections: [],
      maskHeaders: () => {
        throw new Error(`the request log could not mask Authorization: Bearer ${TOKEN}`);
      },
      close: async () => {},
    };
    harness = await startHarness({ sandbox });
    const api = harness.desk.api;
    const connection = (name: string, auth: Record<string, string>) => ({
      connection: {
        name,
        profileId: 'rest-etag',
        baseUrl: 'http://127.0.0.1:9',
        params: { collection: 'items' },
        auth: auth as { kind: 'bearer'; token: string },
      },
    });
    const saved = await api.saveConnection(connection('bearer', { kind: 'bearer', token: TOKEN }));
    expect(saved.kind).toBe('ok');
    const keyed = connection('keyed', { kind: 'api-key-header', header: 'X-Key', key: 'k-123456' });

    // In process (Electron's ipc.ts logs what the service throws).
    const thrown = await api.saveConnection(keyed).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown!.message).toContain(`Bearer ${MASK}`);
    expect(`${thrown!.message} ${thrown!.stack}`).not.toContain(TOKEN);

    // Browser mode: the web host logs the exception with an incident id.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    host = await startWebHost({
      service: api,
      rendererDir: harness.dataDir,
      scriptToken: 'script-token',
    });
    const answer = await fetch(`http://127.0.0.1:${host.port}/api/saveConnection`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: 'script-token' },
      body: JSON.stringify(keyed),
    });
    expect(answer.status).toBe(500);
    const log = logged.mock.calls
      .flat()
      .map((part) => (part instanceof Error ? `${part.message} ${part.stack}` : String(part)))
      .join('\n');
    expect(log).toContain('incident');
    expect(log).toContain(`Bearer ${MASK}`);
    expect(log).not.toContain(TOKEN);
  });
});
