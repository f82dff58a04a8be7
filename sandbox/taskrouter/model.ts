// TaskRouter storage shapes and JSON rendering (snake_case, Twilio dates, absolute URLs).
import type { SandboxRequest } from '../http';
import { twilioDate } from '../http';
import type { Row } from '../store';
import type { Switches } from '../switches';
import { productBase } from '../twilio-common';
import { SANDBOX_CREDENTIALS } from '../credentials';

export const WORKSPACE = 'workspace';
export const TASK = 'task';

export type AssignmentStatus =
  'pending' | 'reserved' | 'assigned' | 'canceled' | 'completed' | 'wrapping';
export const ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = [
  'pending',
  'reserved',
  'assigned',
  'canceled',
  'completed',
  'wrapping',
];

/** Allowed AssignmentStatus updates (reference checklist 13). Same-status updates are no-ops. */
export const TRANSITIONS: Record<AssignmentStatus, readonly AssignmentStatus[]> = {
  pending: ['canceled'],
  reserved: ['canceled'],
  assigned: ['wrapping', 'completed'],
  wrapping: ['completed'],
  canceled: [],
  completed: [],
};

export type Named = { sid: string; friendly_name: string };

export type WorkspaceBody = {
  friendly_name: string;
  event_callback_url: string | null;
  events_filter: string | null;
  multi_task_enabled: boolean;
  prioritize_queue_order: 'FIFO' | 'LIFO';
  default_activity: Named;
  timeout_activity: Named;
  queues: Named[];
  workflows: Named[];
  channels: Array<{ sid: string; unique_name: string }>;
};

export type TaskBody = {
  attributes: string;
  addons: string;
  assignment_status: AssignmentStatus;
  priority: number;
  reason: string | null;
  task_queue_sid: string;
  workflow_sid: string;
  task_channel_sid: string;
  timeout: number;
  virtual_start_time: string;
  task_queue_entered_date: string | null;
  ignore_capacity: boolean | null;
  routing_target: string | null;
};

export function renderWorkspace(
  req: SandboxRequest,
  switches: Switches,
  row: Row,
): Record<string, unknown> {
  const w = row.body as WorkspaceBody;
  const url = `${productBase(req, switches, 'taskrouter')}/v1/Workspaces/${row.id}`;
  return {
    account_sid: SANDBOX_CREDENTIALS.twilio.accountSid,
    date_created: twilioDate(row.created),
    date_updated: twilioDate(row.updated),
    default_activity_name: w.default_activity.friendly_name,
    default_activity_sid: w.default_activity.sid,
    event_callback_url: w.event_callback_url,
    events_filter: w.events_filter,
    friendly_name: w.friendly_name,
    multi_task_enabled: w.multi_task_enabled,
    prioritize_queue_order: w.prioritize_queue_order,
    sid: row.id,
    timeout_activity_name: w.timeout_activity.friendly_name,
    timeout_activity_sid: w.timeout_activity.sid,
    url,
    links: Object.fromEntries(
      [
        'activities',
        'events',
        'task_queues',
        'tasks',
        'workers',
        'workflows',
        'task_channels',
        'statistics',
        'real_time_statistics',
        'cumulative_statistics',
      ].map((l) => [
        l,
        `${url}/${l
          .split('_')
          .map((p) => p[0]?.toUpperCase() + p.slice(1))
          .join('')}`,
      ]),
    ),
  };
}

export function renderTask(
  req: SandboxRequest,
  switches: Switches,
  workspace: Row,
  row: Row,
): Record<string, unknown> {
  const t = row.body as TaskBody;
  const w = workspace.body as WorkspaceBody;
  const wsUrl = `${productBase(req, switches, 'taskrouter')}/v1/Workspaces/${workspace.id}`;
  const url = `${wsUrl}/Tasks/${row.id}`;
  const queue = w.queues.find((q) => q.sid === t.task_queue_sid);
  const workflow = w.workflows.find((f) => f.sid === t.workflow_sid);
  const channel = w.channels.find((c) => c.sid === t.task_channel_sid);
  return {
    account_sid: SANDBOX_CREDENTIALS.twilio.accountSid,
    age: Math.max(0, Math.floor((Date.now() - Date.parse(row.created)) / 1000)),
    assignment_status: t.assignment_status,
    attributes: t.attributes,
    addons: t.addons,
    date_created: twilioDate(row.created),
    date_updated: twilioDate(row.updated),
    task_queue_entered_date: twilioDate(t.task_queue_entered_date),
    priority: t.priority,
    reason: t.reason,
    sid: row.id,
    task_queue_sid: t.task_queue_sid,
    task_queue_friendly_name: queue?.friendly_name ?? null,
    task_channel_sid: t.task_channel_sid,
    task_channel_unique_name: channel?.unique_name ?? null,
    timeout: t.timeout,
    workflow_sid: t.workflow_sid,
    workflow_friendly_name: workflow?.friendly_name ?? null,
    workspace_sid: workspace.id,
    url,
    links: {
      task_queue: `${wsUrl}/TaskQueues/${t.task_queue_sid}`,
      workflow: `${wsUrl}/Workflows/${t.workflow_sid}`,
      workspace: wsUrl,
      reservations: `${url}/Reservations`,
    },
    virtual_start_time: twilioDate(t.virtual_start_time),
    ignore_capacity: t.ignore_capacity,
    routing_target: t.routing_target,
  };
}
