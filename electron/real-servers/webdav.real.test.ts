// lighttpd + mod_webdav (Debian) with the built-in "WebDAV · JSON files" profile.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBDAV_JSON_FILE } from '../../shared/profiles/built-in';
import type { ProfileSpec } from '../../shared/profiles/spec';
import {
  listAll,
  open,
  roundTrip,
  saveConnection,
  startRealDesk,
  type Doc,
  type RealDesk,
  type ServerSide,
} from '../test-support/real-round-trip';
import { startLighttpd, type RealServer } from '../test-support/real-servers';

const FILES = 27;
const idOf = (n: number) => `ticket-${String(n).padStart(2, '0')}`;

describe('lighttpd + mod_webdav, built-in WebDAV profile', () => {
  let server: RealServer & { davRoot: string };
  let desk: RealDesk;
  let connectionId: string;
  const url = (id: string) => `${server.url}/docs/${encodeURIComponent(id)}.json`;
  /** Someone else's write, through the server (a file changed behind lighttpd's back is served at its cached length). */
  const putText = async (id: string, text: string) =>
    expect((await fetch(url(id), { method: 'PUT', body: text })).status).toBeLessThan(300);

  const direct: ServerSide = {
    async revision(id) {
      const res = await fetch(url(id), { method: 'HEAD' });
      return res.headers.get('etag')!;
    },
    async read(id) {
      return (await (await fetch(url(id))).json()) as Doc;
    },
    async replace(id, doc) {
      const res = await fetch(url(id), { method: 'PUT', body: JSON.stringify(doc, null, 2) });
      expect(res.status).toBeLessThan(300);
    },
  };

  beforeAll(async () => {
    server = await startLighttpd({ denySuffix: '-locked.json' });
    const docs = path.join(server.davRoot, 'docs');
    mkdirSync(docs);
    for (let n = 1; n <= FILES; n++) {
      writeFileSync(
        path.join(docs, `${idOf(n)}.json`),
        JSON.stringify(
          { name: `Ticket ${n}`, status: 'open', priority: 1, notes: 'call back' },
          null,
          2,
        ),
      );
    }
    writeFileSync(path.join(docs, 'readme.txt'), 'not a resource');
    writeFileSync(path.join(docs, 'payroll-locked.json'), '{}');
    desk = startRealDesk();
    connectionId = await saveConnection(desk.api, {
      name: 'lighttpd',
      profileId: WEBDAV_JSON_FILE.id,
      baseUrl: server.url,
      params: { folder: 'docs' },
      auth: { kind: 'none' },
    });
  });
  afterAll(async () => {
    await desk?.close();
    await server?.stop();
  });

  it('lists every JSON file once over several PROPFIND pages', async () => {
    const { ids, pages } = await listAll(desk.api, connectionId, 10);
    const expected = [
      ...Array.from({ length: FILES }, (_, i) => idOf(i + 1)),
      'payroll-locked',
    ].sort();
    expect(pages).toBe(3);
    expect(ids).toEqual(expected);
  });

  it('lists the same files when the folder is typed with a slash before or after it', async () => {
    // Were the slashes kept, the listing compared "/docs/" (or "//docs") with the "/docs" of each
    // file the server listed and showed an empty folder, while the files opened.
    const { ids: expected } = await listAll(desk.api, connectionId, 100);
    for (const folder of ['docs/', '/docs', '/docs/']) {
      const id = await saveConnection(desk.api, {
        name: `lighttpd ${folder}`,
        profileId: WEBDAV_JSON_FILE.id,
        baseUrl: server.url,
        params: { folder },
        auth: { kind: 'none' },
      });
      const { ids } = await listAll(desk.api, id, 100);
      expect(ids, folder).toEqual(expected);
    }
  });

  it('lists a folder on a server mounted below a path (base URL http://host/mounted)', async () => {
    // WebDAV often lives below a path (Apache /webdav, Nextcloud /remote.php/dav/files/…): the
    // server lists "/mounted/team/…", which must be read against the base URL's path too.
    mkdirSync(path.join(server.davRoot, 'mounted', 'team'), { recursive: true });
    for (const name of ['one', 'two'])
      writeFileSync(path.join(server.davRoot, 'mounted', 'team', `${name}.json`), '{"n":1}');
    for (const baseUrl of [`${server.url}/mounted`, `${server.url}/mounted/`]) {
      const id = await saveConnection(desk.api, {
        name: `lighttpd ${baseUrl}`,
        profileId: WEBDAV_JSON_FILE.id,
        baseUrl,
        params: { folder: 'team' },
        auth: { kind: 'none' },
      });
      expect((await listAll(desk.api, id, 100)).ids, baseUrl).toEqual(['one', 'two']);
      await expect(open(desk.api, id, 'one')).resolves.toMatchObject({ guarded: true });
    }
  });

  it('opens, saves, conflicts, resolves and resubmits; the file ends exactly as expected', async () => {
    const report = await roundTrip(desk.api, connectionId, idOf(7), direct, {
      conflictStatus: 412,
    });
    // The write carried If-Match with the opened ETag (the activity log records the tag sent).
    const activity = await desk.api.activity({});
    const puts = activity.entries.filter((e) => e.method === 'PUT');
    expect(puts.map((e) => e.status)).toEqual([204, 412, 204]);
    expect(puts.every((e) => e.ifMatch !== null && /^"\d+"$/.test(e.ifMatch))).toBe(true);
    console.log('webdav round trip', report);
  });

  it('a save after someone deleted the file says it was deleted, and that the edit is kept', async () => {
    const file = path.join(server.davRoot, 'docs', 'doomed.json');
    writeFileSync(file, JSON.stringify({ name: 'Doomed', status: 'open' }));
    const ref = { connectionId, id: 'doomed' };
    const opened = await desk.api.openResource({ ref });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    expect((await fetch(`${server.url}/docs/doomed.json`, { method: 'DELETE' })).status).toBe(204);
    const saved = await desk.api.saveResource({
      ref,
      text: JSON.stringify({ name: 'Doomed', status: 'closed' }),
      baseJournalId: opened.snapshot.journalId,
    });
    expect(saved).toMatchObject({
      kind: 'error',
      reason: 'not-found',
      message: expect.stringMatching(/deleted on the server.*your edit is kept/i),
    });
    // The precondition held: the 412 created nothing.
    expect((await fetch(`${server.url}/docs/doomed.json`)).status).toBe(404);
  });

  it('a file that is not UTF-8 is not opened: a save would write every accented letter back as U+FFFD', async () => {
    // {"name":"Café","n":1} written by a Windows-1252 tool: é is the single byte 0xE9.
    const file = path.join(server.davRoot, 'docs', 'cafe-1252.json');
    const bytes = Buffer.concat([
      Buffer.from('{"name":"Caf'),
      Buffer.from([0xe9]),
      Buffer.from('","n":1}'),
    ]);
    writeFileSync(file, bytes);
    const opened = await desk.api.openResource({ ref: { connectionId, id: 'cafe-1252' } });
    expect(opened).toMatchObject({
      kind: 'error',
      reason: 'invalid-json',
      message: expect.stringContaining('not UTF-8'),
    });
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('saves an edit of a digit a double does not keep, alone or with others, exactly as typed', async () => {
    // 0.10000000000000000001 and …02 read as the same double: compared as values, editing one
    // into the other changes nothing ("nothing to save"), and beside another edit it was left out
    // of the write while the save reported success.
    const file = path.join(server.davRoot, 'docs', 'ledger.json');
    const doc = (amount: string, status: string) =>
      `{\n  "amount": ${amount},\n  "status": "${status}",\n  "rate": 1.2345678901234567890\n}\n`;
    writeFileSync(file, doc('0.10000000000000000001', 'open'));
    const ref = { connectionId, id: 'ledger' };
    const save = async (text: string) => {
      const opened = await desk.api.openResource({ ref });
      if (opened.kind !== 'ok') throw new Error(opened.message);
      // The editor shows the file's own digits.
      expect(opened.snapshot.text).toContain('1.2345678901234567890');
      return desk.api.saveResource({ ref, text, baseJournalId: opened.snapshot.journalId });
    };
    const only = await save(doc('0.10000000000000000002', 'open'));
    expect(only.kind, JSON.stringify(only)).toBe('saved');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(doc('0.1', 'open')));
    expect(readFileSync(file, 'utf8')).toContain('"amount": 0.10000000000000000002');
    expect(readFileSync(file, 'utf8')).toContain('"rate": 1.2345678901234567890');

    const both = await save(doc('0.10000000000000000003', 'closed'));
    expect(both.kind, JSON.stringify(both)).toBe('saved');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('"amount": 0.10000000000000000003');
    expect(text).toContain('"status": "closed"');
    expect(text).toContain('"rate": 1.2345678901234567890');

    // Someone else changes the file meanwhile: a merge compares and prints values, so it would
    // round the edited digits away. The save is refused plainly, the file left as they wrote it.
    const opened = await desk.api.openResource({ ref });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    const theirs = doc('0.10000000000000000003', 'reopened');
    await putText('ledger', theirs);
    const stale = await desk.api.saveResource({
      ref,
      text: doc('0.10000000000000000004', 'closed'),
      baseJournalId: opened.snapshot.journalId,
    });
    expect(stale).toMatchObject({
      kind: 'error',
      status: 412,
      message: expect.stringMatching(
        /digits a double does not keep \(\/amount\).*your edit is kept/,
      ),
    });
    expect(readFileSync(file, 'utf8')).toBe(theirs);
  });

  it('does not call a stale save of such digits "already on the server" when the server holds other digits', async () => {
    // Someone else wrote …03 where the operator types …02: the two documents read as the same
    // values, so the save was answered "already on the server … holds exactly your document".
    const file = path.join(server.davRoot, 'docs', 'ledger-2.json');
    const doc = (amount: string) => `{\n  "amount": ${amount},\n  "status": "open"\n}\n`;
    writeFileSync(file, doc('0.10000000000000000001'));
    const ref = { connectionId, id: 'ledger-2' };
    const opened = await desk.api.openResource({ ref });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    // Someone else writes `text` through the server; then the operator saves …02 from the copy opened.
    const saveAfter = async (text: string) => {
      await putText('ledger-2', text);
      return desk.api.saveResource({
        ref,
        text: doc('0.10000000000000000002'),
        baseJournalId: opened.snapshot.journalId,
      });
    };
    // One character longer (…030 is …03): a new ETag whatever the clock.
    const theirs = doc('0.100000000000000000030');
    const stale = await saveAfter(theirs);
    expect(stale).toMatchObject({
      kind: 'error',
      reason: 'rejected',
      status: 412,
      message: expect.stringMatching(/digits a double does not keep \(\/amount\)/),
    });
    expect(readFileSync(file, 'utf8')).toBe(theirs);

    // The very digits typed (…020 is …02): that is already on the server.
    const identical = await saveAfter(doc('0.100000000000000000020'));
    expect(identical).toMatchObject({ kind: 'error', reason: 'already-on-server', status: 412 });
  });

  it('shows the server’s words for a 404 and a 403 (the HTML page’s title)', async () => {
    const missing = await desk.api.openResource({ ref: { connectionId, id: 'no-such-ticket' } });
    expect(missing).toMatchObject({
      kind: 'error',
      reason: 'not-found',
      status: 404,
      message: expect.stringContaining('“404 Not Found”'),
    });
    const locked = await desk.api.openResource({ ref: { connectionId, id: 'payroll-locked' } });
    expect(locked).toMatchObject({
      kind: 'error',
      status: 403,
      message: expect.stringContaining('“403 Forbidden”'),
    });
    await expect(open(desk.api, connectionId, idOf(1))).resolves.toMatchObject({ guarded: true });
  });
});

describe('lighttpd that sends no ETag on reads (static-file.etags disabled)', () => {
  let server: RealServer & { davRoot: string };
  let desk: RealDesk;
  let connectionId: string;

  beforeAll(async () => {
    server = await startLighttpd({ extraConfig: ['static-file.etags = "disable"'] });
    mkdirSync(path.join(server.davRoot, 'docs'));
    writeFileSync(
      path.join(server.davRoot, 'docs', 'ticket-01.json'),
      JSON.stringify({ name: 'Ticket 1', status: 'open' }, null, 2),
    );
    desk = startRealDesk();
    connectionId = await saveConnection(desk.api, {
      name: 'lighttpd without ETags',
      profileId: WEBDAV_JSON_FILE.id,
      baseUrl: server.url,
      params: { folder: 'docs' },
      auth: { kind: 'none' },
    });
  });
  afterAll(async () => {
    await desk?.close();
    await server?.stop();
  });

  it('opens unguarded, refuses a blind save, and a deliberate one is saved without claiming someone else moved it', async () => {
    const ref = { connectionId, id: 'ticket-01' };
    const opened = await desk.api.openResource({ ref });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    expect(opened.snapshot).toMatchObject({ guarded: false, revision: null });
    expect(opened.snapshot.unguardedReason).toMatch(/no ETag/);
    const text = JSON.stringify({ name: 'Ticket 1', status: 'closed' }, null, 2);
    const blind = await desk.api.saveResource({
      ref,
      text,
      baseJournalId: opened.snapshot.journalId,
    });
    expect(blind).toMatchObject({ kind: 'error', reason: 'unguarded' });
    const onDisk = () =>
      JSON.parse(readFileSync(path.join(server.davRoot, 'docs', 'ticket-01.json'), 'utf8')) as Doc;
    expect(onDisk().status).toBe('open');
    // The PUT's answer names an ETag although the GET that follows names none: nobody else wrote,
    // so the save must not say "someone else has changed it since".
    const deliberate = await desk.api.saveResource({
      ref,
      text,
      baseJournalId: opened.snapshot.journalId,
      unconditional: true,
    });
    expect(deliberate).toMatchObject({ kind: 'saved', movedSince: null });
    expect(onDisk().status).toBe('closed');
    const audit = await desk.api.auditLog({ ref });
    expect(audit.entries[0]?.outcome).toBe('saved');
  });
});

describe('lighttpd compressing JSON (mod_deflate): its ETag names the gzip representation', () => {
  let server: RealServer & { davRoot: string };
  let desk: RealDesk;
  let connectionId: string;

  beforeAll(async () => {
    // A common set-up: JSON compressed for clients that accept gzip. The compressed answer's ETag
    // is "<tag>-gzip", which a PUT's If-Match never matches (the file's own tag is "<tag>").
    server = await startLighttpd({
      extraConfig: [
        'server.modules += ( "mod_deflate" )',
        'deflate.mimetypes = ( "application/json" )',
        'deflate.allowed-encodings = ( "gzip", "deflate" )',
        'deflate.min-compress-size = 10',
      ],
    });
    mkdirSync(path.join(server.davRoot, 'docs'));
    writeFileSync(
      path.join(server.davRoot, 'docs', 'ticket-01.json'),
      JSON.stringify({ name: 'Ticket 1', status: 'open', notes: 'call back '.repeat(20) }, null, 2),
    );
    desk = startRealDesk();
    connectionId = await saveConnection(desk.api, {
      name: 'lighttpd with compression',
      profileId: WEBDAV_JSON_FILE.id,
      baseUrl: server.url,
      params: { folder: 'docs' },
      auth: { kind: 'none' },
    });
  });
  afterAll(async () => {
    await desk?.close();
    await server?.stop();
  });

  it('opens with the file’s own ETag and saves with If-Match (no conflict with itself)', async () => {
    const gzipped = await fetch(`${server.url}/docs/ticket-01.json`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzipped.headers.get('etag')).toMatch(/-gzip"$/);
    const ref = { connectionId, id: 'ticket-01' };
    const opened = await desk.api.openResource({ ref });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    expect(opened.snapshot.revision).toMatch(/^"\d+"$/);
    const saved = await desk.api.saveResource({
      ref,
      text: opened.snapshot.text.replace('"open"', '"closed"'),
      baseJournalId: opened.snapshot.journalId,
    });
    expect(saved).toMatchObject({ kind: 'saved' });
    const onDisk = JSON.parse(
      readFileSync(path.join(server.davRoot, 'docs', 'ticket-01.json'), 'utf8'),
    ) as Doc;
    expect(onDisk.status).toBe('closed');
  });

  it('a server that refuses its own unchanged ETag is reported as such, not as a conflict to merge again and again', async () => {
    // A profile that asks for gzip gets the "-gzip" tag back, as any client behind a compressing
    // proxy would: the 412 is not someone else's change.
    const gzip: ProfileSpec = {
      ...WEBDAV_JSON_FILE,
      id: 'webdav-gzip',
      headers: { 'accept-encoding': 'gzip' },
    };
    const id = await saveConnection(desk.api, {
      name: 'lighttpd, gzip asked',
      profileId: gzip.id,
      customProfile: gzip,
      baseUrl: server.url,
      params: { folder: 'docs' },
      auth: { kind: 'none' },
    });
    const ref = { connectionId: id, id: 'ticket-01' };
    const opened = await desk.api.openResource({ ref });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    expect(opened.snapshot.revision).toMatch(/-gzip"$/);
    const file = path.join(server.davRoot, 'docs', 'ticket-01.json');
    const before = readFileSync(file, 'utf8');
    const refused = await desk.api.saveResource({
      ref,
      text: JSON.stringify({ ...(JSON.parse(opened.snapshot.text) as Doc), status: 'reopened' }),
      baseJournalId: opened.snapshot.journalId,
    });
    expect(refused).toMatchObject({
      kind: 'error',
      reason: 'rejected',
      status: 412,
      message: expect.stringContaining('does not accept its own ETag'),
    });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
