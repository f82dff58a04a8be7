// Starting points for connections to real servers: the built-in profile, a typical base URL, its
// parameters and the kind of credentials it takes. The operator fills in what differs (host,
// database, table, the secret) — a preset never carries a secret.
import type { AuthInput } from '../../../shared/api/types';

export type ConnectionPreset = {
  id: string;
  label: string;
  name: string;
  profileId: string;
  baseUrl: string;
  params: Record<string, string>;
  authKind: AuthInput['kind'];
  username?: string;
  /** What to type where, shown under the form. */
  hint: string;
};

export const CONNECTION_PRESETS: readonly ConnectionPreset[] = [
  {
    id: 'couchdb',
    label: 'CouchDB / PouchDB Server',
    name: 'CouchDB',
    profileId: 'couchdb-document',
    baseUrl: 'http://127.0.0.1:5984',
    params: { database: '' },
    authKind: 'basic',
    username: 'admin',
    hint: 'The server’s root URL and a database; an admin party or pouchdb-server needs no credentials (choose None).',
  },
  {
    id: 'azure-table',
    label: 'Azure Table (storage account)',
    name: 'Azure Table',
    profileId: 'azure-table-entity',
    baseUrl: 'https://ACCOUNT.table.core.windows.net',
    params: { table: '' },
    authKind: 'query',
    hint: 'Replace ACCOUNT; paste a SAS token (sv=…&sig=…) with table read/update rights as the query credential.',
  },
  {
    id: 'azurite',
    label: 'Azurite (Azure Storage emulator)',
    name: 'Azurite Table',
    profileId: 'azure-table-entity',
    baseUrl: 'http://127.0.0.1:10002/devstoreaccount1',
    params: { table: '' },
    authKind: 'query',
    hint: 'The emulator’s account is in the path; paste an account SAS for devstoreaccount1 as the query credential.',
  },
  {
    id: 'webdav',
    label: 'WebDAV folder of JSON files',
    name: 'WebDAV files',
    profileId: 'webdav-json-file',
    baseUrl: 'http://127.0.0.1:8080',
    params: { folder: '' },
    authKind: 'none',
    hint: 'The WebDAV server’s root and the folder holding the .json files (lighttpd mod_webdav, Apache mod_dav, nginx dav).',
  },
];
