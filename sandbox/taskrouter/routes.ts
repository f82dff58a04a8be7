// TaskRouter v1: Workspaces (list, fetch) and Tasks (list, create, fetch, update, delete).
import { createHash } from 'node:crypto';
import { empty, header, json, parseForm } from '../http';
import type { SandboxRequest, SandboxResponse } from '../http';
import { randomSid } from '../ids';
import { applyMergePatch } from '../merge-patch';
import { proceed, refuse } from '../outcome';
import type { Outcome } from '../outcome';
import type { Context, Route } from '../router';
import type { Row } from '../store';
import {
  multiValue,
  productBase,
  twilioEtag,
  twilioFetched,
  twilioIfMatch,
  twilioPage,
} from '../twilio-common';
import {
  twilioBadRequest,
  twilioNotFound,
  twilioPreconditionFailed,
  twilioPreconditionRequired,
} from '../twilio-errors';
import { compileExpression } from './expression';
import {
  ASSIGNMENT_STATUSES,
  renderTask,
  renderWorkspace,
  TASK,
  TRANSITIONS,
  WORKSPACE,
} from './model';
import type { AssignmentStatus, TaskBody, WorkspaceBody } from './model';

const PREFIX = '/taskrouter/v1/Workspaces';
const MAX_PRIORITY = 2 ** 31 - 1;

function listWorkspaces(req: SandboxRequest, ctx: Context): SandboxResponse {
  const name = req.query.get('FriendlyName');
  const rows = ctx.store
    .list(WORKSPACE, '')
    .filter((r) => name === null || (r.body as WorkspaceBody).friendly_name === name);
  const page = twilioPage(
    req,
    rows,
    `${productBase(req, ctx.switches(), 'taskrouter')}/v1/Workspaces`,
    'workspaces',
    name === null ? [] : [['FriendlyName', name]],
    1000,
  );
  if (!page.ok) return twilioBadRequest(page.error);
  return json(200, {
    workspaces: page.value.items.map((r) => renderWorkspace(req, ctx.switches(), r)),
    meta: page.value.meta,
  });
}

function fetchWorkspace(req: SandboxRequest, ctx: Context): SandboxResponse {
  const ws = ctx.store.get(WORKSPACE, '', req.params.ws as string);
  return ws ? json(200, renderWorkspace(req, ctx.switches(), ws)) : twilioNotFound(req.path);
}

function workspaceOr404(req: SandboxRequest, ctx: Context): Outcome<Row> {
  const row = ctx.store.get(WORKSPACE, '', req.params.ws as string);
  return row ? proceed(row) : refuse(twilioNotFound(req.path));
}

type Ordering = Array<{ attr: 'DateCreated' | 'Priority' | 'VirtualStartTime'; desc: boolean }>;

function parseOrdering(raw: string | null): Ordering | string {
  if (raw === null || raw === '') return [{ attr: 'DateCreated', desc: false }];
  const out: Ordering = [];
  for (const pair of raw.split(',')) {
    const [attr, dir = 'asc'] = pair.trim().split(':');
    if (attr !== 'DateCreated' && attr !== 'Priority' && attr !== 'VirtualStartTime')
      return `Invalid Ordering attribute: ${attr}`;
    if (dir !== 'asc' && dir !== 'desc') return `Invalid Ordering direction: ${dir}`;
    out.push({ attr, desc: dir === 'desc' });
  }
  const attrs = out.map((o) => o.attr);
  if (attrs.includes('DateCreated') && attrs.includes('VirtualStartTime'))
    return 'Ordering by DateCreated and VirtualStartTime together is not allowed';
  return out;
}

function listTasks(req: SandboxRequest, ctx: Context): SandboxResponse {
  const workspace = workspaceOr404(req, ctx);
  if (!workspace.ok) return workspace.response;
  const ws = workspace.value;
  const w = ws.body as WorkspaceBody;
  const q = req.query;
  const echo: Array<[string, string]> = [];
  let rows = ctx.store.list(TASK, ws.id);

  const priority = q.get('Priority');
  if (priority !== null) {
    if (!/^\d+$/.test(priority)) return twilioBadRequest(`Invalid Priority: ${priority}`);
    rows = rows.filter((r) => (r.body as TaskBody).priority === Number(priority));
    echo.push(['Priority', priority]);
  }
  const statuses = multiValue(q, 'AssignmentStatus');
  if (statuses.length > 0) {
    const bad = statuses.find((s) => !ASSIGNMENT_STATUSES.includes(s as AssignmentStatus));
    if (bad !== undefined) return twilioBadRequest(`Invalid AssignmentStatus: ${bad}`);
    rows = rows.filter((r) => statuses.includes((r.body as TaskBody).assignment_status));
    for (const s of statuses) echo.push(['AssignmentStatus', s]);
  }
  const bySidOrName = (
    param: string,
    nameParam: string,
    list: Array<{ sid: string; friendly_name: string }>,
    field: 'workflow_sid' | 'task_queue_sid',
  ) => {
    const sid = q.get(param);
    const name = q.get(nameParam);
    if (sid !== null) {
      rows = rows.filter((r) => (r.body as TaskBody)[field] === sid);
      echo.push([param, sid]);
    }
    if (name !== null) {
      const sids = list.filter((x) => x.friendly_name === name).map((x) => x.sid);
      rows = rows.filter((r) => sids.includes((r.body as TaskBody)[field]));
      echo.push([nameParam, name]);
    }
  };
  bySidOrName('WorkflowSid', 'WorkflowName', w.workflows, 'workflow_sid');
  bySidOrName('TaskQueueSid', 'TaskQueueName', w.queues, 'task_queue_sid');
  const target = q.get('RoutingTarget');
  if (target !== null) {
    rows = rows.filter((r) => (r.body as TaskBody).routing_target === target);
    echo.push(['RoutingTarget', target]);
  }
  const hasAddons = q.get('HasAddons');
  if (hasAddons !== null) {
    if (hasAddons !== 'true' && hasAddons !== 'false')
      return twilioBadRequest(`Invalid HasAddons: ${hasAddons}`);
    const want = hasAddons === 'true';
    rows = rows.filter((r) => {
      const addons = (r.body as TaskBody).addons;
      return want === (addons !== '' && addons !== '{}');
    });
    echo.push(['HasAddons', hasAddons]);
  }
  const expression = q.get('EvaluateTaskAttributes');
  if (expression !== null) {
    let predicate;
    try {
      predicate = compileExpression(expression);
    } catch (error) {
      return twilioBadRequest(
        `Invalid EvaluateTaskAttributes expression: ${(error as Error).message}`,
      );
    }
    rows = rows.filter((r) => predicate(JSON.parse((r.body as TaskBody).attributes) as unknown));
    echo.push(['EvaluateTaskAttributes', expression]);
  }
  const ordering = parseOrdering(q.get('Ordering'));
  if (typeof ordering === 'string') return twilioBadRequest(ordering);
  if (q.get('Ordering') !== null) echo.push(['Ordering', q.get('Ordering') as string]);
  rows.sort((a, b) => {
    for (const o of ordering) {
      const x =
        o.attr === 'Priority'
          ? (a.body as TaskBody).priority
          : o.attr === 'DateCreated'
            ? a.created
            : (a.body as TaskBody).virtual_start_time;
      const y =
        o.attr === 'Priority'
          ? (b.body as TaskBody).priority
          : o.attr === 'DateCreated'
            ? b.created
            : (b.body as TaskBody).virtual_start_time;
      if (x !== y) return (x < y ? -1 : 1) * (o.desc ? -1 : 1);
    }
    return a.ord - b.ord;
  });

  const listUrl = `${productBase(req, ctx.switches(), 'taskrouter')}/v1/Workspaces/${ws.id}/Tasks`;
  const page = twilioPage(req, rows, listUrl, 'tasks', echo, 1000);
  if (!page.ok) return twilioBadRequest(page.error);
  const tasks = page.value.items.map((r) => renderTask(req, ctx.switches(), ws, r));
  // The list ETag's meaning is undocumented; a hash of the page's sids and versions is stable and useful.
  const listTag = createHash('sha1')
    .update(page.value.items.map((r) => `${r.id}:${r.version}`).join(','))
    .digest('hex')
    .slice(0, 16);
  return json(200, { tasks, meta: page.value.meta }, twilioEtag(ctx.switches(), listTag));
}

type TaskFields = Partial<
  Pick<
    TaskBody,
    | 'attributes'
    | 'assignment_status'
    | 'priority'
    | 'reason'
    | 'task_channel_sid'
    | 'virtual_start_time'
    | 'timeout'
    | 'workflow_sid'
    | 'task_queue_sid'
    | 'routing_target'
    | 'ignore_capacity'
  >
>;

/** Validates form fields shared by create and update; the fields, or the 400 response that refuses them. */
function readTaskForm(
  form: URLSearchParams,
  w: WorkspaceBody,
  mode: 'create' | 'update',
): Outcome<TaskFields> {
  const out: TaskFields = {};
  const attributes = form.get('Attributes');
  if (attributes !== null) {
    try {
      JSON.parse(attributes);
    } catch {
      return refuse(
        twilioBadRequest(`Attributes must be a valid JSON string: ${attributes.slice(0, 80)}`),
      );
    }
    out.attributes = attributes;
  }
  const priority = form.get('Priority');
  if (priority !== null) {
    const n = Number(priority);
    if (!/^\d+$/.test(priority) || n > MAX_PRIORITY)
      return refuse(twilioBadRequest(`Priority must be an integer between 0 and ${MAX_PRIORITY}`));
    out.priority = n;
  }
  const channel = form.get('TaskChannel');
  if (channel !== null) {
    const c = w.channels.find((x) => x.sid === channel || x.unique_name === channel);
    if (!c) return refuse(twilioBadRequest(`TaskChannel not found: ${channel}`));
    out.task_channel_sid = c.sid;
  }
  const vst = form.get('VirtualStartTime');
  if (vst !== null) {
    const t = Date.parse(vst);
    if (Number.isNaN(t))
      return refuse(twilioBadRequest(`VirtualStartTime is not a valid ISO-8601 date: ${vst}`));
    if (t > Date.now() + 1000)
      return refuse(twilioBadRequest('VirtualStartTime cannot be in the future'));
    if (t < Date.parse('1900-01-01T00:00:00Z'))
      return refuse(twilioBadRequest('VirtualStartTime cannot be before 1900'));
    out.virtual_start_time = new Date(t).toISOString();
  }
  if (mode === 'update') {
    const status = form.get('AssignmentStatus');
    if (status !== null) {
      if (!ASSIGNMENT_STATUSES.includes(status as AssignmentStatus))
        return refuse(twilioBadRequest(`Invalid AssignmentStatus: ${status}`));
      out.assignment_status = status as AssignmentStatus;
    }
    const reason = form.get('Reason');
    if (reason !== null) out.reason = reason;
    return proceed(out);
  }
  const timeout = form.get('Timeout');
  if (timeout !== null) {
    const n = Number(timeout);
    if (!/^\d+$/.test(timeout) || n < 1 || n > 1209600)
      return refuse(twilioBadRequest('Timeout must be an integer between 1 and 1209600'));
    out.timeout = n;
  }
  const workflow = form.get('WorkflowSid');
  if (workflow !== null) {
    if (!w.workflows.some((f) => f.sid === workflow))
      return refuse(twilioBadRequest(`WorkflowSid not found: ${workflow}`));
    out.workflow_sid = workflow;
  } else if (w.workflows.length !== 1) {
    return refuse(
      twilioBadRequest('WorkflowSid is required when the workspace has more than one workflow'),
    );
  }
  const queue = form.get('TaskQueueSid');
  if (queue !== null) {
    if (!w.queues.some((x) => x.sid === queue))
      return refuse(twilioBadRequest(`TaskQueueSid not found: ${queue}`));
    out.task_queue_sid = queue;
  }
  const target = form.get('RoutingTarget');
  if (target !== null) out.routing_target = target;
  const ignore = form.get('IgnoreCapacity');
  if (ignore !== null) out.ignore_capacity = ['true', '1', 'yes'].includes(ignore.toLowerCase());
  return proceed(out);
}

function createTask(req: SandboxRequest, ctx: Context): SandboxResponse {
  const workspace = workspaceOr404(req, ctx);
  if (!workspace.ok) return workspace.response;
  const ws = workspace.value;
  const w = ws.body as WorkspaceBody;
  const form = readTaskForm(parseForm(req), w, 'create');
  if (!form.ok) return form.response;
  const fields = form.value;
  const now = new Date().toISOString();
  const body: TaskBody = {
    attributes: fields.attributes ?? '{}',
    addons: '{}',
    assignment_status: 'pending',
    priority: fields.priority ?? 0,
    reason: null,
    task_queue_sid: fields.task_queue_sid ?? (w.queues[0] as { sid: string }).sid,
    workflow_sid: fields.workflow_sid ?? (w.workflows[0] as { sid: string }).sid,
    task_channel_sid:
      fields.task_channel_sid ??
      (w.channels.find((c) => c.unique_name === 'default') ?? (w.channels[0] as { sid: string }))
        .sid,
    timeout: fields.timeout ?? 86400,
    virtual_start_time: fields.virtual_start_time ?? now,
    task_queue_entered_date: now,
    ignore_capacity: fields.ignore_capacity ?? null,
    routing_target: fields.routing_target ?? null,
  };
  const row = ctx.store.insert(TASK, ws.id, randomSid('WT'), body, 0, { at: now });
  return json(201, renderTask(req, ctx.switches(), ws, row), twilioEtag(ctx.switches(), '0'));
}

function fetchTask(req: SandboxRequest, ctx: Context): SandboxResponse {
  const workspace = workspaceOr404(req, ctx);
  if (!workspace.ok) return workspace.response;
  const ws = workspace.value;
  const row = ctx.store.get(TASK, ws.id, req.params.sid as string);
  if (!row) return twilioNotFound(req.path);
  return twilioFetched(req, ctx.switches(), String(row.version), () =>
    renderTask(req, ctx.switches(), ws, row),
  );
}

/** Shared gate for update/delete: 404 first, then 428 / If-Match (RFC 9110 §13.2.1 order). */
function guardWrite(req: SandboxRequest, ctx: Context, ws: Row): Outcome<Row> {
  const row = ctx.store.get(TASK, ws.id, req.params.sid as string);
  const ifMatch = header(req, 'if-match');
  if (!row)
    return refuse(
      ifMatch !== undefined && ctx.switches().twilio.missingWithIfMatch === 412
        ? twilioPreconditionFailed()
        : twilioNotFound(req.path),
    );
  if (ifMatch === undefined && ctx.switches().requirePrecondition.taskrouter)
    return refuse(twilioPreconditionRequired());
  const result = twilioIfMatch(req, String(row.version));
  if (result.kind === 'malformed')
    return refuse(twilioBadRequest(`Invalid If-Match header: ${result.error}`));
  if (result.kind === 'fail') return refuse(twilioPreconditionFailed());
  return proceed(row);
}

function updateTask(req: SandboxRequest, ctx: Context): SandboxResponse {
  const workspace = workspaceOr404(req, ctx);
  if (!workspace.ok) return workspace.response;
  const ws = workspace.value;
  const exists = ctx.store.get(TASK, ws.id, req.params.sid as string);
  // Validate the body before the precondition: a 400 outranks a 412, but a 404 outranks both.
  if (exists) {
    const form = readTaskForm(parseForm(req), ws.body as WorkspaceBody, 'update');
    if (!form.ok) return form.response;
  }
  const write = guardWrite(req, ctx, ws);
  if (!write.ok) return write.response;
  const row = write.value;
  const form = readTaskForm(parseForm(req), ws.body as WorkspaceBody, 'update');
  if (!form.ok) return form.response;
  const fields = form.value;
  const current = row.body as TaskBody;
  if (
    fields.assignment_status !== undefined &&
    fields.assignment_status !== current.assignment_status &&
    !TRANSITIONS[current.assignment_status].includes(fields.assignment_status)
  ) {
    return twilioBadRequest(
      `Task cannot be updated from ${current.assignment_status} to ${fields.assignment_status}`,
    );
  }
  // The OAI spec of UpdateTask: Reason "is required only if the Task is canceled or completed".
  // Checked after the transition, so a forbidden transition is still named as such.
  if (
    (fields.assignment_status === 'canceled' || fields.assignment_status === 'completed') &&
    fields.assignment_status !== current.assignment_status &&
    fields.reason === undefined
  ) {
    return twilioBadRequest(
      `Reason is required when the Task is ${fields.assignment_status} (AssignmentStatus=${fields.assignment_status})`,
    );
  }
  const next: TaskBody = { ...current, ...fields };
  const updated = ctx.store.update(TASK, ws.id, row.id, next, row.version + 1);
  return json(
    200,
    renderTask(req, ctx.switches(), ws, updated),
    twilioEtag(ctx.switches(), String(updated.version)),
  );
}

function deleteTask(req: SandboxRequest, ctx: Context): SandboxResponse {
  const workspace = workspaceOr404(req, ctx);
  if (!workspace.ok) return workspace.response;
  const ws = workspace.value;
  const write = guardWrite(req, ctx, ws);
  if (!write.ok) return write.response;
  const row = write.value;
  ctx.store.remove(TASK, ws.id, row.id, row.version);
  return empty(204);
}

/** Admin "edit as someone else": merge-patch the parsed attributes (and optional fields), bump the version. */
export function editTask(
  ctx: Context,
  ws: string,
  sid: string,
  patch: unknown,
  fields: Record<string, unknown>,
  actor: string,
): { version: number; body: TaskBody } | null {
  const row = ctx.store.get(TASK, ws, sid);
  if (!row) return null;
  const current = row.body as TaskBody;
  const attributes =
    patch === undefined
      ? current.attributes
      : JSON.stringify(applyMergePatch(JSON.parse(current.attributes) as unknown, patch));
  const next: TaskBody = { ...current, ...(fields as Partial<TaskBody>), attributes };
  const updated = ctx.store.update(TASK, ws, sid, next, row.version + 1, { op: 'edit', actor });
  return { version: updated.version, body: updated.body as TaskBody };
}

export const taskrouterRoutes: Route[] = [
  { method: 'GET', pattern: PREFIX, handler: listWorkspaces },
  { method: 'GET', pattern: `${PREFIX}/:ws`, handler: fetchWorkspace },
  { method: 'GET', pattern: `${PREFIX}/:ws/Tasks`, handler: listTasks },
  { method: 'POST', pattern: `${PREFIX}/:ws/Tasks`, handler: createTask },
  { method: 'GET', pattern: `${PREFIX}/:ws/Tasks/:sid`, handler: fetchTask },
  { method: 'POST', pattern: `${PREFIX}/:ws/Tasks/:sid`, handler: updateTask },
  { method: 'DELETE', pattern: `${PREFIX}/:ws/Tasks/:sid`, handler: deleteTask },
];
