// The built-in profiles: Twilio TaskRouter Tasks, Twilio Sync Documents / List Items / Map Items,
// a generic ETag REST API and a Genesys-style body-version API. Paths are below the product root
// (https://taskrouter.twilio.com, https://sync.twilio.com, https://api.mypurecloud.com …).
import type { ProfileSpec } from './spec';

const TASK_STATUSES = ['pending', 'reserved', 'assigned', 'wrapping', 'completed', 'canceled'];
const twilioNextUrl = { kind: 'next-url', nextPointer: '/meta/next_page_url', pageSizeParam: 'PageSize' } as const;

export const TWILIO_TASK: ProfileSpec = {
  id: 'twilio-taskrouter-task',
  label: 'Twilio TaskRouter · Tasks',
  family: 'twilio-taskrouter',
  description: 'Tasks of one workspace. ETag is the task version (0, 1, 2…); attributes is JSON inside a string.',
  params: [{ name: 'workspaceSid', label: 'Workspace SID', placeholder: 'WS…' }],
  list: {
    path: '/v1/Workspaces/{workspaceSid}/Tasks',
    itemsPointer: '/tasks',
    idPointer: '/sid',
    titlePointers: ['/attributes/customer/name', '/attributes/subject', '/sid'],
    subtitlePointers: ['/task_queue_friendly_name', '/task_channel_unique_name'],
    statusPointer: '/assignment_status',
    updatedPointer: '/date_updated',
    paging: twilioNextUrl,
    filters: [
      { name: 'status', label: 'Status', param: 'AssignmentStatus', options: TASK_STATUSES },
      { name: 'queue', label: 'Queue', param: 'TaskQueueName' },
    ],
  },
  itemPath: '/v1/Workspaces/{workspaceSid}/Tasks/{id}',
  revision: { in: 'etag', weak: 'unguarded' },
  editable: {
    kind: 'fields',
    fields: [
      { key: 'attributes', pointer: '/attributes', jsonString: true },
      { key: 'priority', pointer: '/priority' },
      { key: 'assignment_status', pointer: '/assignment_status' },
      { key: 'reason', pointer: '/reason' },
      { key: 'task_channel', pointer: '/task_channel_unique_name' },
    ],
  },
  write: {
    method: 'POST',
    encoding: 'form-changed',
    formFields: { attributes: 'Attributes', priority: 'Priority', assignment_status: 'AssignmentStatus', reason: 'Reason', task_channel: 'TaskChannel' },
    precondition: 'if-match',
    conflictStatuses: [412],
  },
  idKeys: ['id', 'sid', 'key', 'name'],
};

const syncMember = (id: string, label: string, description: string, listPath: string, itemsPointer: string, idPointer: string, titlePointers: string[], params: ProfileSpec['params']): ProfileSpec => ({
  id,
  label,
  family: 'twilio-sync',
  description,
  params,
  list: { path: listPath, itemsPointer, idPointer, titlePointers, revisionPointer: '/revision', updatedPointer: '/date_updated', paging: twilioNextUrl },
  itemPath: `${listPath}/{id}`,
  revision: { in: 'etag', weak: 'unguarded' },
  editable: { kind: 'member', pointer: '/data' },
  write: { method: 'POST', encoding: 'form-member', formFields: { data: 'Data' }, precondition: 'if-match', conflictStatuses: [412] },
  idKeys: ['id', 'sid', 'key', 'name'],
});

const SYNC_SERVICE = { name: 'serviceSid', label: 'Sync Service SID', placeholder: 'IS…' };

export const TWILIO_SYNC_DOCUMENT = syncMember(
  'twilio-sync-document',
  'Twilio Sync · Documents',
  'Documents of one Sync service. The revision (= ETag) is a hex counter; you edit `data`.',
  '/v1/Services/{serviceSid}/Documents',
  '/documents',
  '/sid',
  ['/unique_name', '/sid'],
  [SYNC_SERVICE],
);

export const TWILIO_SYNC_LIST_ITEM = syncMember(
  'twilio-sync-list-item',
  'Twilio Sync · List items',
  'Items of one Sync list, by index. Items share the list’s revision counter; you edit `data`.',
  '/v1/Services/{serviceSid}/Lists/{listSid}/Items',
  '/items',
  '/index',
  ['/data/customer', '/data/title', '/data/name', '/index'],
  [SYNC_SERVICE, { name: 'listSid', label: 'List SID or unique name', placeholder: 'ES…' }],
);

export const TWILIO_SYNC_MAP_ITEM = syncMember(
  'twilio-sync-map-item',
  'Twilio Sync · Map items',
  'Items of one Sync map, by key. Items share the map’s revision counter; you edit `data`.',
  '/v1/Services/{serviceSid}/Maps/{mapSid}/Items',
  '/items',
  '/key',
  ['/key'],
  [SYNC_SERVICE, { name: 'mapSid', label: 'Map SID or unique name', placeholder: 'MP…' }],
);

export const REST_ETAG: ProfileSpec = {
  id: 'rest-etag',
  label: 'Generic REST (ETag)',
  family: 'rest',
  description: 'A JSON collection guarded by ETag / If-Match. Saves replace the item with PUT.',
  params: [{ name: 'collection', label: 'Collection', placeholder: 'items' }],
  list: {
    path: '/{collection}',
    itemsPointer: '/items',
    idPointer: '/id',
    titlePointers: ['/name', '/title', '/subject', '/id'],
    subtitlePointers: ['/assignee', '/author/name'],
    statusPointer: '/status',
    updatedPointer: '/updatedAt',
    paging: { kind: 'page-number', pageParam: 'page', pageSizeParam: 'pageSize', firstPage: 1, totalPointer: '/total' },
  },
  itemPath: '/{collection}/{id}',
  revision: { in: 'etag', weak: 'send-as-is' },
  editable: { kind: 'whole', hidden: ['/id', '/createdAt', '/updatedAt'] },
  write: { method: 'PUT', encoding: 'json', precondition: 'if-match', conflictStatuses: [412, 409] },
};

export const BODY_VERSION: ProfileSpec = {
  id: 'body-version',
  label: 'Genesys-style (body version)',
  family: 'body-version',
  description: 'Users whose integer `version` travels in the body; a stale version answers 409.',
  params: [],
  list: {
    path: '/api/v2/users',
    itemsPointer: '/entities',
    idPointer: '/id',
    titlePointers: ['/name', '/email', '/id'],
    subtitlePointers: ['/title', '/department'],
    statusPointer: '/state',
    revisionPointer: '/version',
    paging: { kind: 'page-number', pageParam: 'pageNumber', pageSizeParam: 'pageSize', firstPage: 1, totalPointer: '/total' },
  },
  itemPath: '/api/v2/users/{id}',
  revision: { in: 'body', pointer: '/version' },
  editable: { kind: 'whole', hidden: ['/id', '/version', '/selfUri', '/dateModified'] },
  write: { method: 'PATCH', encoding: 'json-changed', precondition: 'body-version', conflictStatuses: [409] },
};

export const BUILT_IN_PROFILES: readonly ProfileSpec[] = [TWILIO_TASK, TWILIO_SYNC_DOCUMENT, TWILIO_SYNC_LIST_ITEM, TWILIO_SYNC_MAP_ITEM, REST_ETAG, BODY_VERSION];

export function builtInProfile(id: string): ProfileSpec | undefined {
  return BUILT_IN_PROFILES.find((profile) => profile.id === id);
}
