// The admin API under /_sandbox/ (JSON, no auth): reset/seed, switches, edit-as-someone-else,
// resource history, fault injection and the request log.
import { isPlainObject, json, parseJsonBody } from './http';
import type { SandboxRequest, SandboxResponse } from './http';
import { applyMergePatch } from './merge-patch';
import type { Context, Route } from './router';
import { createRouter } from './router';
import type { Faults } from './faults';
import type { RequestLog } from './request-log';
import { proceed, refuse } from './outcome';
import type { Outcome } from './outcome';
import { resolveResource } from './resource-paths';
import type { SeedName } from './seed';
import { SANDBOX_IDS, seedDemo } from './seed';
import { defaultSwitches, saveSwitches, validateSwitches } from './switches';
import type { Switches } from './switches';
import { SANDBOX_CREDENTIALS } from './credentials';

export type AdminDeps = { faults: Faults; log: RequestLog; defaultSeed: SeedName };

const bad = (message: string) => json(400, { error: 'bad-request', message });
const notFound = (message: string) => json(404, { error: 'not-found', message });

function body(req: SandboxRequest): Outcome<Record<string, unknown>> {
  if (req.rawBody.trim() === '') return proceed({});
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return refuse(bad(parsed.error));
  return isPlainObject(parsed.value)
    ? proceed(parsed.value)
    : refuse(bad('the body must be a JSON object'));
}

/** Wipes all state and applies a seed; used by the admin API and at first start. */
export function resetState(ctx: Context, seed: SeedName): Switches {
  return ctx.store.transaction(() => {
    ctx.store.wipe();
    let switches = defaultSwitches();
    if (seed === 'demo') switches = seedDemo(ctx.store);
    else saveSwitches(ctx.store, switches);
    ctx.store.setSetting('seed', seed);
    ctx.setSwitches(switches);
    return switches;
  });
}

export function createAdmin(deps: AdminDeps) {
  const reset =
    (seedDefault: 'configured' | 'demo'): Route['handler'] =>
    (req, ctx) => {
      const read = body(req);
      if (!read.ok) return read.response;
      const b = read.value;
      const seed = b.seed ?? (seedDefault === 'demo' ? 'demo' : deps.defaultSeed);
      if (seed !== 'demo' && seed !== 'none') return bad("seed must be 'demo' or 'none'");
      resetState(ctx, seed);
      deps.faults.clear();
      deps.log.clear();
      return json(200, { ok: true, seed, counts: ctx.store.counts() });
    };

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: '/_sandbox',
      handler: (_req, ctx) =>
        json(200, {
          ids: SANDBOX_IDS,
          credentials: SANDBOX_CREDENTIALS,
          seed: ctx.store.setting('seed') ?? null,
          counts: ctx.store.counts(),
          switches: ctx.switches(),
          faults: deps.faults.list(),
        }),
    },
    { method: 'POST', pattern: '/_sandbox/reset', handler: reset('configured') },
    { method: 'POST', pattern: '/_sandbox/seed', handler: reset('demo') },
    {
      method: 'GET',
      pattern: '/_sandbox/switches',
      handler: (_req, ctx) => json(200, ctx.switches()),
    },
    {
      method: 'PATCH',
      pattern: '/_sandbox/switches',
      handler: (req, ctx) => {
        const read = body(req);
        if (!read.ok) return read.response;
        const b = read.value;
        const next = applyMergePatch(ctx.switches(), b);
        const error = validateSwitches(next);
        if (error) return bad(error);
        saveSwitches(ctx.store, next as Switches);
        ctx.setSwitches(next as Switches);
        return json(200, next);
      },
    },
    {
      method: 'POST',
      pattern: '/_sandbox/edit',
      handler: (req, ctx) => {
        const read = body(req);
        if (!read.ok) return read.response;
        const b = read.value;
        if (typeof b.path !== 'string')
          return bad('path (the resource URL path, e.g. /rest/tickets/ticket-1) is required');
        const ref = resolveResource(ctx, b.path);
        if (!ref) return notFound(`no editable resource at ${b.path}`);
        if (!ref.edit) return bad(`${b.path} has no editable part (edit its items instead)`);
        const fields = b.fields === undefined ? {} : b.fields;
        if (!isPlainObject(fields)) return bad('fields must be an object');
        const actor = typeof b.actor === 'string' ? b.actor : 'someone-else';
        const before = ctx.store.get(ref.kind, ref.scope, ref.id);
        const row = ref.edit(b.patch, fields, actor);
        if (!row || !before) return notFound(`no resource at ${b.path}`);
        return json(200, {
          path: b.path,
          kind: ref.kind,
          id: ref.id,
          actor,
          previousRevision: ref.revisionOf(before),
          revision: ref.revisionOf(row),
          version: row.version,
          body: row.body,
        });
      },
    },
    {
      method: 'GET',
      pattern: '/_sandbox/history',
      handler: (req, ctx) => {
        const path = req.query.get('path');
        if (!path) return bad('query parameter path is required');
        const ref = resolveResource(ctx, path);
        if (!ref) return notFound(`no resource at ${path}`);
        const entries = ctx.store.history(ref.kind, ref.scope, ref.id);
        if (entries.length === 0) return notFound(`no history for ${path}`);
        return json(200, {
          path,
          kind: ref.kind,
          id: ref.id,
          revisions: entries.map((h) => ({
            ...h,
            revision: h.body === null ? null : ref.revisionOf({ body: h.body, version: h.version }),
          })),
        });
      },
    },
    {
      method: 'GET',
      pattern: '/_sandbox/faults',
      handler: () => json(200, { faults: deps.faults.list() }),
    },
    {
      method: 'POST',
      pattern: '/_sandbox/faults',
      handler: (req) => {
        const read = body(req);
        if (!read.ok) return read.response;
        const b = read.value;
        const fault = deps.faults.add(b);
        return typeof fault === 'string' ? bad(fault) : json(201, fault);
      },
    },
    {
      method: 'DELETE',
      pattern: '/_sandbox/faults',
      handler: () => {
        deps.faults.clear();
        return json(200, { ok: true });
      },
    },
    {
      method: 'DELETE',
      pattern: '/_sandbox/faults/:id',
      handler: (req) =>
        deps.faults.remove(Number(req.params.id))
          ? json(200, { ok: true })
          : notFound(`no fault ${req.params.id as string}`),
    },
    {
      method: 'GET',
      pattern: '/_sandbox/requests',
      handler: (req) => {
        const num = (name: string) =>
          req.query.get(name) === null ? null : Number(req.query.get(name));
        return json(200, {
          requests: deps.log.query({
            method: req.query.get('method'),
            pathPrefix: req.query.get('pathPrefix'),
            since: num('since'),
            limit: num('limit'),
          }),
        });
      },
    },
    {
      method: 'DELETE',
      pattern: '/_sandbox/requests',
      handler: () => {
        deps.log.clear();
        return json(200, { ok: true });
      },
    },
  ];
  const router = createRouter(routes);

  return (req: SandboxRequest, ctx: Context): SandboxResponse => {
    const m = router.match(req.method, req.path.replace(/\/$/, '') || '/');
    if (m.route === null) {
      return m.allowed.length > 0
        ? json(
            405,
            { error: 'method-not-allowed', allowed: m.allowed },
            { allow: m.allowed.join(', ') },
          )
        : notFound(`no admin route ${req.method} ${req.path}`);
    }
    return m.route.handler({ ...req, params: m.params }, ctx);
  };
}
