// The built-in profiles: Twilio TaskRouter Tasks, Twilio Sync Documents / List Items / Map Items,
// a generic ETag REST API and a Genesys-style body-version API. Paths are below the product root
// (https://taskrouter.twilio.com, https://sync.twilio.com, https://api.mypurecloud.com …).
import type { ProfileSpec } from './spec';

const TASK_STATUSES = ['pending', 'reserved', 'assigned', 'wrapping', 'completed', 'canceled'];
const twilioNextUrl = {
  kind: 'next-url',
  nextPointer: '/meta/next_page_url',
  pageSizeParam: 'PageSize',
} as const;

export const TWILIO_TASK: ProfileSpec = {
  id: 'twilio-taskrouter-task',
  label: 'Twilio TaskRouter · Tasks',
  family: 'twilio-taskrouter',
  description:
    'Tasks of one workspace. ETag is the task version (0, 1, 2…); attributes is JSON inside a string.',
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
    formFields: {
      attributes: 'Attributes',
      priority: 'Priority',
      assignment_status: 'AssignmentStatus',
      reason: 'Reason',
      task_channel: 'TaskChannel',
    },
    precondition: 'if-match',
    conflictStatuses: [412],
  },
  idKeys: ['id', 'sid', 'key', 'name'],
};

const syncMember = (
  id: string,
  label: string,
  description: string,
  listPath: string,
  itemsPointer: string,
  idPointer: string,
  titlePointers: string[],
  params: ProfileSpec['params'],
): ProfileSpec => ({
  id,
  label,
  family: 'twilio-sync',
  description,
  params,
  list: {
    path: listPath,
    itemsPointer,
    idPointer,
    titlePointers,
    revisionPointer: '/revision',
    updatedPointer: '/date_updated',
    paging: twilioNextUrl,
  },
  itemPath: `${listPath}/{id}`,
  revision: { in: 'etag', weak: 'unguarded' },
  editable: { kind: 'member', pointer: '/data' },
  write: {
    method: 'POST',
    encoding: 'form-member',
    formFields: { data: 'Data' },
    precondition: 'if-match',
    conflictStatuses: [412],
  },
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
    paging: {
      kind: 'page-number',
      pageParam: 'page',
      pageSizeParam: 'pageSize',
      firstPage: 1,
      totalPointer: '/total',
    },
  },
  itemPath: '/{collection}/{id}',
  revision: { in: 'etag', weak: 'send-as-is' },
  editable: { kind: 'whole', hidden: ['/id', '/createdAt', '/updatedAt'] },
  write: {
    method: 'PUT',
    encoding: 'json',
    precondition: 'if-match',
    conflictStatuses: [412, 409],
  },
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
    paging: {
      kind: 'page-number',
      pageParam: 'pageNumber',
      pageSizeParam: 'pageSize',
      firstPage: 1,
      totalPointer: '/total',
    },
  },
  itemPath: '/api/v2/users/{id}',
  revision: { in: 'body', pointer: '/version' },
  editable: { kind: 'whole', hidden: ['/id', '/version', '/selfUri', '/dateModified'] },
  write: {
    method: 'PATCH',
    encoding: 'json-changed',
    precondition: 'body-version',
    conflictStatuses: [409],
  },
};

/**
 * CouchDB (and PouchDB Server) documents: the revision is `_rev` in the body (`If-Match` is not
 * compared), a stale one answers 409, and a write answers an acknowledgement `{ok, id, rev}`
 * whose `rev` is the new revision. Listed with `_all_docs`, each page starting at a document's
 * key (`startkey`), as CouchDB's guide pages: `skip` would move documents out of the list when
 * one is deleted between two pages.
 */
export const COUCHDB_DOCUMENT: ProfileSpec = {
  id: 'couchdb-document',
  label: 'CouchDB / PouchDB · Documents',
  family: 'couchdb',
  description:
    'Documents of one database. The revision is `_rev` in the body; a stale one answers 409. The base URL is the server (http://127.0.0.1:5984).',
  params: [{ name: 'database', label: 'Database', placeholder: 'docs' }],
  list: {
    path: '/{database}/_all_docs?include_docs=true',
    itemsPointer: '/rows',
    itemPointer: '/doc',
    idPointer: '/_id',
    titlePointers: ['/name', '/title', '/subject', '/_id'],
    subtitlePointers: ['/type', '/status'],
    revisionPointer: '/_rev',
    paging: { kind: 'start-key', startParam: 'startkey', limitParam: 'limit', keyPointer: '/key' },
  },
  // `conflicts=true`: a document with conflicting revisions lists them in `_conflicts` (shown
  // read-only), so a write that CouchDB kept only as a losing revision is told apart.
  itemPath: '/{database}/{id}?conflicts=true',
  revision: { in: 'body', pointer: '/_rev' },
  // `_deleted` too: a live document never holds it, and typed it would make a save a deletion.
  editable: { kind: 'whole', hidden: ['/_id', '/_rev', '/_deleted'] },
  write: {
    method: 'PUT',
    encoding: 'json',
    precondition: 'body-version',
    conflictStatuses: [409],
    answerRevision: { in: 'body', pointer: '/rev' },
    losingRevisionsPointer: '/_conflicts',
    reservedMembers: {
      prefix: '_',
      allowed: [
        '_id',
        '_rev',
        '_attachments',
        '_deleted',
        '_revisions',
        '_revs_info',
        '_conflicts',
        '_deleted_conflicts',
        '_local_seq',
      ],
      reason: 'CouchDB keeps top-level members starting with "_" for its own special members',
    },
  },
  idKeys: ['id', '_id', 'key', 'name'],
  serverManaged: ['/_conflicts'],
  headers: { accept: 'application/json' },
  errorPointers: ['/reason', '/error'],
  reservedIds: {
    prefixes: ['_'],
    except: ['_design/', '_local/'],
    reason:
      'CouchDB keeps ids starting with "_" for database endpoints such as _security and _all_docs; only _design/… and _local/… are documents',
  },
};

/**
 * Azure Table entities (and Azurite): weak ETags compared as sent, MERGE with If-Match (412 when
 * stale, 204 + the new ETag when not), no metadata in bodies, continuation in response headers,
 * PartitionKey + RowKey as one id. The base URL ends with the account (https://ACCOUNT.table.core.windows.net,
 * or http://127.0.0.1:10002/devstoreaccount1 for Azurite); authenticate with a SAS in the query.
 */
export const AZURE_TABLE_ENTITY: ProfileSpec = {
  id: 'azure-table-entity',
  label: 'Azure Table · Entities',
  family: 'azure-table',
  description:
    'Entities of one table; the id is PartitionKey,RowKey. Saves MERGE the properties you changed (a property cannot be deleted this way). Authenticate with a SAS (query string).',
  params: [{ name: 'table', label: 'Table', placeholder: 'docs' }],
  list: {
    path: '/{table}()',
    itemsPointer: '/value',
    idPointer: '/RowKey',
    idParts: [
      { name: 'PartitionKey', pointer: '/PartitionKey', quote: 'odata-string' },
      { name: 'RowKey', pointer: '/RowKey', quote: 'odata-string' },
    ],
    titlePointers: ['/name', '/title', '/subject', '/RowKey'],
    subtitlePointers: ['/PartitionKey'],
    updatedPointer: '/Timestamp',
    paging: {
      kind: 'continuation-headers',
      pageSizeParam: '$top',
      tokens: [
        { header: 'x-ms-continuation-NextPartitionKey', param: 'NextPartitionKey' },
        { header: 'x-ms-continuation-NextRowKey', param: 'NextRowKey' },
      ],
    },
  },
  itemPath: "/{table}(PartitionKey='{PartitionKey}',RowKey='{RowKey}')",
  revision: { in: 'etag', weak: 'send-as-is' },
  editable: { kind: 'whole', hidden: [] },
  write: {
    method: 'MERGE',
    encoding: 'json-changed',
    precondition: 'if-match',
    conflictStatuses: [412],
    answerRevision: { in: 'etag' },
    annotationSuffix: '@odata.type',
    // A Double comes as 2.0 with no annotation; written back as 2 it would become an Int32.
    floatType: 'Edm.Double',
    // Entities are flat, and these types travel as strings: Azure's 400 for either names nothing.
    flatProperties: true,
    stringTypes: ['Edm.Int64', 'Edm.DateTime', 'Edm.Guid', 'Edm.Binary'],
  },
  // Minimal metadata: an Int64, DateTime, Guid or Binary property comes with its
  // `name@odata.type`, which a MERGE sends back with a changed value (no metadata would lose it).
  headers: { accept: 'application/json;odata=minimalmetadata', 'x-ms-version': '2019-02-02' },
  serverManaged: [
    '/PartitionKey',
    '/RowKey',
    '/Timestamp',
    '/Timestamp@odata.type',
    '/odata.metadata',
    '/odata.etag',
  ],
  errorPointers: ['/odata.error/message/value', '/message'],
};

/**
 * A WebDAV folder of JSON files (lighttpd mod_webdav, Apache mod_dav, nginx dav): strong ETags,
 * PUT with If-Match (412 when stale; the 204 carries the new ETag), listed with PROPFIND Depth 1.
 */
export const WEBDAV_JSON_FILE: ProfileSpec = {
  id: 'webdav-json-file',
  label: 'WebDAV · JSON files',
  family: 'webdav',
  description:
    'The .json files of one WebDAV folder; the id is the file name less ".json". Saves replace the file with PUT and If-Match.',
  params: [{ name: 'folder', label: 'Folder', placeholder: 'docs' }],
  list: {
    path: '/{folder}/',
    itemsPointer: '',
    idPointer: '/id',
    titlePointers: ['/id'],
    revisionPointer: '/etag',
    updatedPointer: '/modified',
    paging: { kind: 'webdav-propfind', suffix: '.json' },
  },
  itemPath: '/{folder}/{id}.json',
  revision: { in: 'etag', weak: 'reread-for-strong' },
  editable: { kind: 'whole', hidden: [] },
  write: {
    method: 'PUT',
    encoding: 'json',
    precondition: 'if-match',
    conflictStatuses: [412],
    answerRevision: { in: 'etag' },
  },
  idKeys: ['id', 'key', 'name'],
};

export const BUILT_IN_PROFILES: readonly ProfileSpec[] = [
  TWILIO_TASK,
  TWILIO_SYNC_DOCUMENT,
  TWILIO_SYNC_LIST_ITEM,
  TWILIO_SYNC_MAP_ITEM,
  REST_ETAG,
  BODY_VERSION,
  COUCHDB_DOCUMENT,
  AZURE_TABLE_ENTITY,
  WEBDAV_JSON_FILE,
];

export function builtInProfile(id: string): ProfileSpec | undefined {
  return BUILT_IN_PROFILES.find((profile) => profile.id === id);
}
