// Maps an API path (as a client would use it) to the stored resource, so the admin API can edit a
// resource or show its history by the same URL the operator sees.
import type { Context } from './router';
import { createRouter } from './router';
import { TASK } from './taskrouter/model';
import { editTask } from './taskrouter/routes';
import { editDocument, editItem, resolveSync } from './sync/routes';
import { LISTS, MAPS, revision } from './sync/model';
import { editRest, REST, restEtag } from './rest/routes';
import { editGenesys, PARTICIPANT_ATTRIBUTES, SECURE_ATTRIBUTES, USER } from './genesys/routes';
import type { Row } from './store';

export type ResourceRef = {
  kind: string;
  scope: string;
  id: string;
  /** How this family renders a stored version as the client sees it (ETag, revision, version). */
  revisionOf: (row: Pick<Row, 'body' | 'version'>) => string | number;
  /** Apply an edit as someone else; null when the resource does not exist. */
  edit: ((patch: unknown, fields: Record<string, unknown>, actor: string) => Row | null) | null;
};

const PATTERNS = {
  task: '/taskrouter/v1/Workspaces/:ws/Tasks/:sid',
  sync: '/sync/v1/Services/:svc/:segment/:key',
  'sync-item': '/sync/v1/Services/:svc/:segment/:key/Items/:item',
  rest: '/rest/:collection/:id',
  user: '/genesys/api/v2/users/:id',
  attrs: '/genesys/api/v2/conversations/:c/participants/:p/attributes',
  secure: '/genesys/api/v2/conversations/:c/secureattributes',
} as const;

// Only the patterns matter here; the router is reused for its matching, not for dispatch.
const router = createRouter(
  Object.values(PATTERNS).map((pattern) => ({
    method: 'REF',
    pattern,
    handler: () => ({ status: 500, headers: {}, body: '' }),
  })),
);
const byPattern = new Map<string, keyof typeof PATTERNS>(
  Object.entries(PATTERNS).map(([k, v]) => [v, k as keyof typeof PATTERNS]),
);

const asInt = (row: Pick<Row, 'version'>) => row.version;

export function resolveResource(ctx: Context, rawPath: string): ResourceRef | null {
  const path = rawPath.split('?')[0] as string;
  const m = router.match('REF', path);
  if (m.route === null) return null;
  const p = m.params;
  // A Genesys resource of `kind`: an integer version, edited as the admin edits Genesys rows.
  const genesys = (kind: Parameters<typeof editGenesys>[1], id: string): ResourceRef => ({
    kind,
    scope: '',
    id,
    revisionOf: asInt,
    edit: (patch, _f, actor) => editGenesys(ctx, kind, id, patch, actor),
  });
  switch (byPattern.get(m.route.pattern)) {
    case 'task': {
      const ws = p.ws as string,
        sid = p.sid as string;
      return {
        kind: TASK,
        scope: ws,
        id: sid,
        revisionOf: (r) => String(r.version),
        edit: (patch, fields, actor) =>
          editTask(ctx, ws, sid, patch, fields, actor)
            ? (ctx.store.get(TASK, ws, sid) ?? null)
            : null,
      };
    }
    case 'sync': {
      const r = resolveSync(ctx, p.svc as string, p.segment as string, p.key as string);
      if (!r) return null;
      const isDoc = r.kind !== LISTS.parentKind && r.kind !== MAPS.parentKind;
      return {
        kind: r.kind,
        scope: r.scope,
        id: r.id,
        revisionOf: (row) => revision(row.version),
        edit: isDoc ? (patch, _f, actor) => editDocument(ctx, r.svc, r.id, patch, actor) : null,
      };
    }
    case 'sync-item': {
      const segment = p.segment as string;
      if (segment !== 'Lists' && segment !== 'Maps') return null;
      const r = resolveSync(ctx, p.svc as string, segment, p.key as string);
      if (!r) return null;
      const spec = segment === 'Lists' ? LISTS : MAPS;
      const item = p.item as string;
      return {
        kind: spec.itemKind,
        scope: r.id,
        id: item,
        revisionOf: (row) => revision(row.version),
        edit: (patch, _f, actor) =>
          editItem(ctx, segment === 'Lists' ? 'list' : 'map', r.svc, r.id, item, patch, actor),
      };
    }
    case 'rest': {
      const c = p.collection as string,
        id = p.id as string;
      return {
        kind: REST,
        scope: c,
        id,
        revisionOf: restEtag,
        edit: (patch, _f, actor) => editRest(ctx, c, id, patch, actor),
      };
    }
    case 'user':
      return genesys(USER, p.id as string);
    case 'attrs':
      return genesys(PARTICIPANT_ATTRIBUTES, `${p.c as string}/${p.p as string}`);
    case 'secure':
      return genesys(SECURE_ATTRIBUTES, p.c as string);
    case undefined:
      return null;
  }
}
