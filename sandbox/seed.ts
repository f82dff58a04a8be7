// The deterministic demo data set: every SID is derived from a label and every field from a
// seeded PRNG, so the app's default connection and e2e tests can name resources.
import { prng, seededSid, seededUuid } from './ids';
import type { Store } from './store';
import { defaultSwitches, saveSwitches } from './switches';
import type { Switches } from './switches';
import { TASK, WORKSPACE } from './taskrouter/model';
import type { AssignmentStatus, TaskBody, WorkspaceBody } from './taskrouter/model';
import { DOCUMENT, LISTS, MAPS, SERVICE } from './sync/model';
import type { CollectionBody, DocumentBody, ItemBody, ServiceBody } from './sync/model';
import { REST } from './rest/routes';
import { PARTICIPANT_ATTRIBUTES, SECURE_ATTRIBUTES, USER } from './genesys/routes';

export type SeedName = 'demo' | 'none';

const QUEUES = ['Sales', 'Support', 'Billing', 'VIP', 'Spanish'].map((name) => ({
  sid: seededSid('WQ', `queue-${name}`),
  friendly_name: name,
}));
const WORKFLOW = { sid: seededSid('WW', 'workflow-default'), friendly_name: 'Default Workflow' };
const CHANNELS = ['default', 'voice', 'chat', 'sms', 'email'].map((name) => ({
  sid: seededSid('TC', `channel-${name}`),
  unique_name: name,
}));
const GENESYS_USER_IDS = Array.from({ length: 12 }, (_, i) => seededUuid(`genesys-user-${i}`));
const GENESYS_CONVERSATION = seededUuid('genesys-conversation-0');
const GENESYS_PARTICIPANTS = [
  seededUuid('genesys-participant-0'),
  seededUuid('genesys-participant-1'),
];

export const SANDBOX_IDS = {
  accountSid: seededSid('AC', 'account'),
  workspaceSid: seededSid('WS', 'workspace-demo'),
  workflowSid: WORKFLOW.sid,
  taskQueueSids: Object.fromEntries(QUEUES.map((q) => [q.friendly_name, q.sid])) as Record<
    string,
    string
  >,
  /** The first seeded task (pending, so every transition from pending can be tried). */
  taskSid: seededSid('WT', 'task-0'),
  taskSids: Array.from({ length: 200 }, (_, i) => seededSid('WT', `task-${i}`)),
  syncServiceSid: seededSid('IS', 'sync-demo'),
  documentSid: seededSid('ET', 'doc-agent-settings'),
  documentUniqueName: 'agent-settings',
  documentUniqueNames: ['agent-settings', 'queue-config', 'shift-notes'],
  listSid: seededSid('ES', 'list-callbacks'),
  listUniqueName: 'callbacks',
  mapSid: seededSid('MP', 'map-agent-status'),
  mapUniqueName: 'agent-status',
  mapItemKey: 'alice',
  restCollections: {
    strict412: 'articles',
    lenient409: 'tickets',
    requirePrecondition: 'settings',
  },
  restItemIds: { articles: 'article-1', tickets: 'ticket-1', settings: 'general' },
  genesysUserId: GENESYS_USER_IDS[0] as string,
  genesysUserIds: GENESYS_USER_IDS,
  genesysConversationId: GENESYS_CONVERSATION,
  genesysParticipantId: GENESYS_PARTICIPANTS[0] as string,
};

const FIRST = [
  'Ava',
  'Liam',
  'Noah',
  'Mia',
  'Sofia',
  'Lucas',
  'Emma',
  'Mateo',
  'Chloe',
  'Ethan',
  'Isla',
  'Omar',
  'Priya',
  'Kenji',
  'Zoe',
  'Diego',
  'Hana',
  'Ivan',
  'Leila',
  'Tom',
];
const LAST = [
  'Garcia',
  'Smith',
  'Nguyen',
  'Okafor',
  'Müller',
  'Rossi',
  'Tanaka',
  'Silva',
  'Kowalski',
  'Haddad',
  'Johansson',
  'Patel',
  'Dubois',
  'Kim',
  'Novak',
];
const SKILLS = [
  'billing',
  'technical',
  'spanish',
  'french',
  'returns',
  'escalations',
  'onboarding',
  'retention',
];
const NOTE_TEXTS = [
  'Customer called twice about the same order.',
  'Promised a callback before 5pm.',
  'Refund approved by supervisor.',
  'Asked for a manager.',
  'Prefers email follow-up.',
  'Shipping address updated.',
  'Waiting on warehouse confirmation.',
  'Card declined, asked to retry.',
];
const TYPES = ['support', 'sales', 'billing', 'callback', 'complaint'];

/** Inserts the demo data (into an empty store) and the matching switches. */
export function seedDemo(store: Store): Switches {
  const rand = prng(20260105);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const base = Date.parse('2026-01-05T08:00:00Z');
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();

  const workspace: WorkspaceBody = {
    friendly_name: 'Conflict Desk Demo',
    event_callback_url: null,
    events_filter: null,
    multi_task_enabled: true,
    prioritize_queue_order: 'FIFO',
    default_activity: { sid: seededSid('WA', 'activity-offline'), friendly_name: 'Offline' },
    timeout_activity: { sid: seededSid('WA', 'activity-offline'), friendly_name: 'Offline' },
    queues: QUEUES,
    workflows: [WORKFLOW],
    channels: CHANNELS,
  };
  store.insert(WORKSPACE, '', SANDBOX_IDS.workspaceSid, workspace, 0, {
    at: at(-60 * 24 * 30),
    actor: 'seed',
  });

  const statuses: AssignmentStatus[] = [
    'pending',
    'pending',
    'pending',
    'pending',
    'reserved',
    'assigned',
    'assigned',
    'wrapping',
    'completed',
    'completed',
    'canceled',
  ];
  SANDBOX_IDS.taskSids.forEach((sid, i) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const created = at(i * 7);
    const status: AssignmentStatus = i === 0 ? 'pending' : pick(statuses);
    const queue = i === 0 ? (QUEUES[1] as (typeof QUEUES)[number]) : pick(QUEUES);
    const channel = i === 0 ? (CHANNELS[1] as (typeof CHANNELS)[number]) : pick(CHANNELS.slice(1));
    const tier = pick(['bronze', 'silver', 'gold', 'platinum']);
    const skills = SKILLS.filter(() => rand() < 0.3);
    const notes = Array.from({ length: Math.floor(rand() * 4) }, (_, n) => ({
      id: `note-${i}-${n}`,
      author: pick(FIRST).toLowerCase(),
      text: pick(NOTE_TEXTS),
      created_at: at(i * 7 + n + 1),
    }));
    const attributes = {
      type: pick(TYPES),
      channel: channel.unique_name,
      customer: {
        name: `${first} ${last}`,
        phone: `+1555${String(1000000 + Math.floor(rand() * 8999999)).slice(0, 7)}`,
        tier,
        account_id: `ACCT-${10000 + i}`,
      },
      skills: skills.length > 0 ? skills : ['general'],
      language: queue.friendly_name === 'Spanish' ? 'es' : pick(['en', 'en', 'en', 'fr', 'de']),
      notes,
      ...(rand() < 0.4
        ? {
            order: {
              id: `ORD-${200000 + i}`,
              total: Math.round(rand() * 50000) / 100,
              currency: 'USD',
            },
          }
        : {}),
      vip: tier === 'platinum',
      tags: rand() < 0.5 ? ['follow-up'] : [],
    };
    const task: TaskBody = {
      attributes: JSON.stringify(attributes),
      addons:
        rand() < 0.15
          ? JSON.stringify({ sentiment: { score: Math.round(rand() * 100) / 100 } })
          : '{}',
      assignment_status: status,
      priority: i === 0 ? 5 : pick([0, 0, 1, 1, 5, 10, 20, 50]),
      reason:
        status === 'canceled' ? 'Customer hung up' : status === 'completed' ? 'Resolved' : null,
      task_queue_sid: queue.sid,
      workflow_sid: WORKFLOW.sid,
      task_channel_sid: channel.sid,
      timeout: 86400,
      virtual_start_time: created,
      task_queue_entered_date: created,
      ignore_capacity: null,
      routing_target: null,
    };
    store.insert(TASK, SANDBOX_IDS.workspaceSid, sid, task, 0, { at: created, actor: 'seed' });
  });

  const svc = SANDBOX_IDS.syncServiceSid;
  store.insert(
    SERVICE,
    '',
    svc,
    {
      friendly_name: 'Conflict Desk Demo',
      unique_name: 'conflict-desk-demo',
    } satisfies ServiceBody,
    0,
    { at: at(-1000), actor: 'seed' },
  );
  const docs: Array<[string, unknown]> = [
    [
      'agent-settings',
      {
        theme: 'dark',
        maxConcurrentTasks: 3,
        autoAccept: false,
        wrapUpSeconds: 30,
        shortcuts: { accept: 'ctrl+enter', hold: 'ctrl+h' },
      },
    ],
    [
      'queue-config',
      {
        queues: QUEUES.map((q, i) => ({
          name: q.friendly_name,
          targetSeconds: 20 + i * 10,
          overflow: i === 3 ? 'Support' : null,
        })),
        updatedBy: 'ops',
      },
    ],
    [
      'shift-notes',
      {
        date: '2026-01-05',
        lead: 'Priya Patel',
        notes: [
          { id: 'n1', text: 'Outage in EU billing until 10:00' },
          { id: 'n2', text: 'New returns policy live' },
        ],
      },
    ],
  ];
  docs.forEach(([name, data], i) => {
    const sid = i === 0 ? SANDBOX_IDS.documentSid : seededSid('ET', `doc-${name}`);
    store.insert(
      DOCUMENT,
      svc,
      sid,
      { unique_name: name, data, expires: null } satisfies DocumentBody,
      0,
      { at: at(-900 + i), actor: 'seed' },
    );
  });

  const callbacks = [0, 1, 2, 3, 4].map((i) => ({
    customer: `${pick(FIRST)} ${pick(LAST)}`,
    phone: `+1555010${i}`,
    dueBy: at(600 + i * 30),
    attempts: i % 3,
  }));
  store.insert(
    LISTS.parentKind,
    svc,
    SANDBOX_IDS.listSid,
    {
      unique_name: 'callbacks',
      expires: null,
      next_index: callbacks.length,
    } satisfies CollectionBody,
    callbacks.length,
    { at: at(-800), actor: 'seed' },
  );
  callbacks.forEach((data, i) =>
    store.insert(
      LISTS.itemKind,
      SANDBOX_IDS.listSid,
      String(i),
      { data, expires: null } satisfies ItemBody,
      i + 1,
      { at: at(-800 + i), actor: 'seed' },
    ),
  );

  const agents: Array<[string, unknown]> = [
    [
      'alice',
      {
        status: 'available',
        activity: 'Idle',
        skills: ['billing', 'spanish'],
        capacity: { voice: 1, chat: 3 },
      },
    ],
    [
      'bob',
      {
        status: 'busy',
        activity: 'On call',
        skills: ['technical'],
        capacity: { voice: 1, chat: 2 },
      },
    ],
    [
      'carol',
      {
        status: 'break',
        activity: 'Lunch',
        skills: ['returns', 'french'],
        capacity: { voice: 1, chat: 3 },
      },
    ],
    [
      'dave',
      {
        status: 'offline',
        activity: 'Offline',
        skills: ['escalations'],
        capacity: { voice: 1, chat: 1 },
      },
    ],
  ];
  store.insert(
    MAPS.parentKind,
    svc,
    SANDBOX_IDS.mapSid,
    { unique_name: 'agent-status', expires: null, next_index: 0 } satisfies CollectionBody,
    agents.length,
    { at: at(-700), actor: 'seed' },
  );
  agents.forEach(([key, data], i) =>
    store.insert(
      MAPS.itemKind,
      SANDBOX_IDS.mapSid,
      key,
      { data, expires: null } satisfies ItemBody,
      i + 1,
      { at: at(-700 + i), actor: 'seed' },
    ),
  );

  const articles = Array.from({ length: 12 }, (_, i) => ({
    id: `article-${i + 1}`,
    title: `${pick(['How to', 'Why', 'When to'])} ${pick(['reset a password', 'issue a refund', 'escalate a call', 'merge accounts'])}`,
    body: pick(NOTE_TEXTS),
    tags: SKILLS.filter(() => rand() < 0.25),
    author: { name: `${pick(FIRST)} ${pick(LAST)}` },
    published: rand() < 0.7,
    revisionNote: null,
  }));
  articles.forEach((a, i) =>
    store.insert(REST, 'articles', a.id, a, 0, { at: at(-600 + i), actor: 'seed' }),
  );
  const tickets = Array.from({ length: 30 }, (_, i) => ({
    id: `ticket-${i + 1}`,
    subject: pick(NOTE_TEXTS),
    status: pick(['open', 'open', 'pending', 'solved']),
    priority: pick(['low', 'normal', 'high', 'urgent']),
    requester: { name: `${pick(FIRST)} ${pick(LAST)}`, email: `customer${i + 1}@example.com` },
    assignee: pick([null, 'alice', 'bob', 'carol']),
    comments: Array.from({ length: Math.floor(rand() * 3) }, (_, n) => ({
      id: `c${n + 1}`,
      text: pick(NOTE_TEXTS),
    })),
  }));
  tickets.forEach((t, i) =>
    store.insert(REST, 'tickets', t.id, t, 0, { at: at(-500 + i), actor: 'seed' }),
  );
  store.insert(
    REST,
    'settings',
    'general',
    {
      id: 'general',
      businessHours: { start: '08:00', end: '18:00', tz: 'Europe/Berlin' },
      holidays: ['2026-12-25'],
      slaMinutes: 30,
    },
    0,
    { at: at(-400), actor: 'seed' },
  );

  GENESYS_USER_IDS.forEach((id, i) => {
    const first = FIRST[i % FIRST.length] as string;
    const last = LAST[(i * 7) % LAST.length] as string;
    const email = `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, '')}@example.com`;
    store.insert(
      USER,
      '',
      id,
      {
        name: `${first} ${last}`,
        division: { id: seededUuid('division-home'), name: 'Home' },
        chat: { jabberId: `${id.slice(0, 8)}@conflictdesk.orgspan.com` },
        department: pick(['Support', 'Sales', 'Billing', 'Operations']),
        email,
        username: email,
        state: 'active',
        title: pick(['Agent', 'Senior Agent', 'Team Lead', 'Supervisor']),
        primaryContactInfo: [{ address: email, mediaType: 'EMAIL', type: 'PRIMARY' }],
        addresses: [
          { address: `+1555020${String(i).padStart(2, '0')}`, mediaType: 'PHONE', type: 'WORK' },
        ],
        acdAutoAnswer: rand() < 0.3,
      },
      1,
      { at: at(-300 + i), actor: 'seed' },
    );
  });
  GENESYS_PARTICIPANTS.forEach((pid, i) => {
    store.insert(
      PARTICIPANT_ATTRIBUTES,
      '',
      `${GENESYS_CONVERSATION}/${pid}`,
      {
        attributes:
          i === 0
            ? { customerTier: 'gold', intent: 'billing-dispute', accountId: 'ACCT-10001' }
            : { agentNote: 'Transferred from Sales' },
      },
      1,
      { at: at(-200 + i), actor: 'seed' },
    );
  });

  store.insert(
    SECURE_ATTRIBUTES,
    '',
    GENESYS_CONVERSATION,
    { attributes: { paymentToken: 'tok-5f2a9c', verifiedBy: 'ivr' } },
    1,
    { at: at(-190), actor: 'seed' },
  );

  const switches = defaultSwitches();
  switches.rest.collections = {
    articles: { conflictStatus: 412, comparison: 'strict', requirePrecondition: false },
    tickets: { conflictStatus: 409, comparison: 'lenient', requirePrecondition: false },
    settings: { conflictStatus: 412, comparison: 'lenient', requirePrecondition: true },
  };
  saveSwitches(store, switches);
  return switches;
}
