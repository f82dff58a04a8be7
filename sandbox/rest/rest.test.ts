// Generic JSON REST: weak ETags, 304, strict vs lenient If-Match, 412 vs 409, 428, merge patch.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunningSandbox } from '../index';
import { admin, call, start } from '../test-support';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await start();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(async () => {
  await admin(sb, 'POST', '/reset', { seed: 'demo' });
});

const strong = (weak: string) => weak.replace(/^W\//, '');

describe('GET', () => {
  it('returns W/"<hex length>-<hash>" and 304 for a matching If-None-Match', async () => {
    const res = await call(sb, 'GET', '/rest/tickets/ticket-1');
    expect(res.status).toBe(200);
    const etag = res.headers.get('etag') as string;
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[\w-]{27}"$/);
    expect(parseInt(etag.slice(3).split('-')[0] as string, 16)).toBe(Buffer.byteLength(res.text));
    const cached = await call(sb, 'GET', '/rest/tickets/ticket-1', {
      headers: { 'if-none-match': etag },
    });
    expect(cached.status).toBe(304);
    expect(cached.text).toBe('');
    expect(cached.headers.get('etag')).toBe(etag);
    // Weak comparison: the strong form matches too; a different tag does not.
    expect(
      (
        await call(sb, 'GET', '/rest/tickets/ticket-1', {
          headers: { 'if-none-match': strong(etag) },
        })
      ).status,
    ).toBe(304);
    expect(
      (await call(sb, 'GET', '/rest/tickets/ticket-1', { headers: { 'if-none-match': '"other"' } }))
        .status,
    ).toBe(200);
    expect((await call(sb, 'GET', '/rest/tickets/nope')).status).toBe(404);
    const head = await call(sb, 'HEAD', '/rest/tickets/ticket-1');
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(head.text).toBe('');
  });

  it('lists with simple paging', async () => {
    const page = (await call(sb, 'GET', '/rest/tickets?page=2&pageSize=12')).json<{
      items: Array<{ id: string }>;
      total: number;
      next: string | null;
    }>();
    expect(page.total).toBe(30);
    expect(page.items.map((i) => i.id)[0]).toBe('ticket-13');
    expect(page.next).toBe(`${sb.url}/rest/tickets?page=3&pageSize=12`);
    const collections = (await call(sb, 'GET', '/rest')).json<{
      collections: Array<{ name: string; conflictStatus: number }>;
    }>();
    expect(collections.collections.map((c) => c.name)).toEqual(['articles', 'settings', 'tickets']);
  });
});

describe('conditional writes', () => {
  it('strict collection (articles): W/ in If-Match never matches; the strong form does; stale → 412', async () => {
    const etag = (await call(sb, 'GET', '/rest/articles/article-1')).headers.get('etag') as string;
    const weak = await call(sb, 'PATCH', '/rest/articles/article-1', {
      json: { title: 'x' },
      headers: { 'if-match': etag, 'content-type': 'application/merge-patch+json' },
    });
    expect(weak.status).toBe(412);
    const ok = await call(sb, 'PATCH', '/rest/articles/article-1', {
      json: { title: 'x', tags: null },
      headers: { 'if-match': strong(etag), 'content-type': 'application/merge-patch+json' },
    });
    expect(ok.status).toBe(200);
    const body = ok.json<Record<string, unknown>>();
    expect(body.title).toBe('x');
    expect('tags' in body).toBe(false);
    expect(ok.headers.get('etag')).not.toBe(etag);
    const stale = await call(sb, 'PUT', '/rest/articles/article-1', {
      json: { title: 'y' },
      headers: { 'if-match': strong(etag) },
    });
    expect(stale.status).toBe(412);
    expect(stale.json()).toMatchObject({ status: 412, currentEtag: ok.headers.get('etag') });
  });

  it('lenient 409 collection (tickets): weak tags match; stale → 409', async () => {
    const etag = (await call(sb, 'GET', '/rest/tickets/ticket-2')).headers.get('etag') as string;
    const put = await call(sb, 'PUT', '/rest/tickets/ticket-2', {
      json: { subject: 'replaced' },
      headers: { 'if-match': etag },
    });
    expect(put.status).toBe(200);
    expect(put.json()).toEqual({ subject: 'replaced', id: 'ticket-2' });
    const stale = await call(sb, 'PATCH', '/rest/tickets/ticket-2', {
      json: { subject: 'late' },
      headers: { 'if-match': etag },
    });
    expect(stale.status).toBe(409);
    expect(stale.json()).toMatchObject({ status: 409, title: 'Conflict' });
  });

  it('evaluates preconditions before the content (RFC 9110 §13.2.1): a stale write is refused unread', async () => {
    const stale = 'W/"0-stale"';
    for (const method of ['PUT', 'PATCH']) {
      const refused = await call(sb, method, '/rest/tickets/ticket-2', {
        body: '{"subject": "not even JSON',
        headers: { 'if-match': stale, 'content-type': 'application/json' },
      });
      // Tickets answer a stale write with 409 (their conflictStatus), never 400 for the content.
      expect(refused.status).toBe(409);
    }
    const missing = await call(sb, 'PUT', '/rest/settings/new', { body: 'not JSON' });
    expect(missing.status).toBe(428);
    // With a current ETag the content is read, and bad content is still a 400.
    const etag = (await call(sb, 'GET', '/rest/tickets/ticket-2')).headers.get('etag') as string;
    const bad = await call(sb, 'PUT', '/rest/tickets/ticket-2', {
      body: '{"subject": "not even JSON',
      headers: { 'if-match': etag, 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
  });

  it('428 on writes without If-Match where required (settings); If-None-Match: * may create', async () => {
    const res = await call(sb, 'PATCH', '/rest/settings/general', { json: { slaMinutes: 10 } });
    expect(res.status).toBe(428);
    expect(res.json()).toMatchObject({ status: 428, title: 'Precondition Required' });
    expect((await call(sb, 'DELETE', '/rest/settings/general')).status).toBe(428);
    expect((await call(sb, 'PUT', '/rest/settings/new', { json: { a: 1 } })).status).toBe(428);
    expect(
      (
        await call(sb, 'PUT', '/rest/settings/new', {
          json: { a: 1 },
          headers: { 'if-none-match': '*' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call(sb, 'PUT', '/rest/settings/new', {
          json: { a: 2 },
          headers: { 'if-none-match': '*' },
        })
      ).status,
    ).toBe(412);
    const etag = (await call(sb, 'GET', '/rest/settings/general')).headers.get('etag') as string;
    expect(
      (
        await call(sb, 'PATCH', '/rest/settings/general', {
          json: { slaMinutes: 10 },
          headers: { 'if-match': etag },
        })
      ).status,
    ).toBe(200);
  });

  it('create (POST 201 + Location), duplicate 409, If-Match on a missing resource 412, DELETE 204', async () => {
    const created = await call(sb, 'POST', '/rest/notes', { json: { id: 'n1', text: 'hello' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/rest/notes/n1');
    expect((await call(sb, 'POST', '/rest/notes', { json: { id: 'n1' } })).status).toBe(409);
    const generated = (await call(sb, 'POST', '/rest/notes', { json: { text: 'no id' } })).json<{
      id: string;
    }>();
    expect(generated.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      (await call(sb, 'PUT', '/rest/notes/ghost', { json: {}, headers: { 'if-match': '*' } }))
        .status,
    ).toBe(412);
    expect((await call(sb, 'PATCH', '/rest/notes/ghost', { json: {} })).status).toBe(404);
    const etag = created.headers.get('etag') as string;
    expect(
      (await call(sb, 'DELETE', '/rest/notes/n1', { headers: { 'if-match': '"stale"' } })).status,
    ).toBe(412);
    expect(
      (await call(sb, 'DELETE', '/rest/notes/n1', { headers: { 'if-match': strong(etag) } }))
        .status,
    ).toBe(204);
    expect((await call(sb, 'GET', '/rest/notes/n1')).status).toBe(404);
  });

  it('rejects invalid JSON, non-object bodies and foreign PATCH media types', async () => {
    expect(
      (
        await call(sb, 'PUT', '/rest/tickets/ticket-1', {
          body: '{oops',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    expect((await call(sb, 'PUT', '/rest/tickets/ticket-1', { json: [1, 2] })).status).toBe(400);
    expect(
      (
        await call(sb, 'PATCH', '/rest/tickets/ticket-1', {
          json: [],
          headers: { 'content-type': 'application/json-patch+json' },
        })
      ).status,
    ).toBe(415);
  });

  it('per-collection switches change the behaviour at runtime', async () => {
    await admin(sb, 'PATCH', '/switches', {
      rest: { collections: { tickets: { conflictStatus: 412, comparison: 'strict' } } },
    });
    const etag = (await call(sb, 'GET', '/rest/tickets/ticket-3')).headers.get('etag') as string;
    expect(
      (
        await call(sb, 'PATCH', '/rest/tickets/ticket-3', {
          json: { a: 1 },
          headers: { 'if-match': etag },
        })
      ).status,
    ).toBe(412);
    const bad = await admin(sb, 'PATCH', '/switches', {
      rest: { collections: { tickets: { conflictStatus: 418 } } },
    });
    expect(bad.status).toBe(400);
  });
});

describe('review follow-ups', () => {
  it('evaluates If-None-Match after a passing If-Match, and If-Match on GET', async () => {
    const etag = (await call(sb, 'GET', '/rest/tickets/ticket-1')).headers.get('etag') as string;
    const both = await call(sb, 'PATCH', '/rest/tickets/ticket-1', {
      json: { status: 'open' },
      headers: {
        'if-match': etag,
        'if-none-match': '*',
        'content-type': 'application/merge-patch+json',
      },
    });
    expect(both.status).toBe(412);
    expect(
      (await call(sb, 'GET', '/rest/tickets/ticket-1', { headers: { 'if-match': 'W/"0-stale"' } }))
        .status,
    ).toBe(412);
    expect(
      (await call(sb, 'GET', '/rest/tickets/ticket-1', { headers: { 'if-match': etag } })).status,
    ).toBe(200);
  });

  it('keeps a "__proto__" member of a merge patch as data', async () => {
    const res = await call(sb, 'PATCH', '/rest/tickets/ticket-2', {
      body: '{"__proto__":{"x":1},"a":1}',
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('"__proto__":{"x":1}');
  });

  it('sends 428 with Cache-Control: no-store as a header, not in the body', async () => {
    const res = await call(sb, 'PUT', '/rest/settings/general', { json: { x: 1 } });
    expect(res.status).toBe(428);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.text).not.toContain('cache-control');
  });
});

describe('ETags across requests', () => {
  // The tag of a stored text is kept between requests (a 412 and the read after it hash 5 MB once):
  // a row deleted and made again within the same millisecond, with a body of the same length,
  // must still get a tag of its own, or a stale If-Match would pass.
  it('never answers the tag of an earlier text, even for a row made again in the same millisecond', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T10:00:00.000Z'));
    try {
      const first = await call(sb, 'POST', '/rest/notes', { json: { id: 'same', n: 1 } });
      expect(first.status).toBe(201);
      const tagOf = async () =>
        (await call(sb, 'GET', '/rest/notes/same')).headers.get('etag') as string;
      const old = await tagOf();
      expect(await tagOf()).toBe(old);
      expect(
        (await call(sb, 'DELETE', '/rest/notes/same', { headers: { 'if-match': strong(old) } }))
          .status,
      ).toBe(204);
      const again = await call(sb, 'POST', '/rest/notes', { json: { id: 'same', n: 2 } });
      expect(again.status).toBe(201);
      expect(again.text.length).toBe(first.text.length);
      const fresh = await tagOf();
      expect(fresh).not.toBe(old);
      expect(again.headers.get('etag')).toBe(fresh);
      // The strong form, which this collection compares: only the text's staleness can refuse it.
      expect(
        (
          await call(sb, 'PUT', '/rest/notes/same', {
            headers: { 'if-match': strong(fresh) },
            json: { id: 'same', n: 2 },
          })
        ).status,
      ).toBe(200);
      const stale = await call(sb, 'PUT', '/rest/notes/same', {
        headers: { 'if-match': strong(old) },
        json: { id: 'same', n: 3 },
      });
      expect(stale.status).toBe(412);
      expect((await call(sb, 'GET', '/rest/notes/same')).json<{ n: number }>().n).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
