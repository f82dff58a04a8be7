// The app opens on the embedded sandbox by default, so it works out of the box with no account.
// Its connections are stored with a `sandbox:` base URL, resolved to this session's port.
import { SANDBOX_CREDENTIALS, SANDBOX_IDS, startSandbox } from '../../sandbox/index';
import type { AuthInput } from '../../shared/api/types';
import { REST_STRICT_MERGE_PATCH } from '../../shared/profiles/sandbox-profiles';
import { SANDBOX_BASE_URL } from './store/connections';

export type SandboxConnection = {
  name: string;
  profileId: string;
  baseUrl: string;
  params: Record<string, string>;
  auth: AuthInput;
  customProfile: unknown | null;
};

export type EmbeddedSandbox = {
  url: string;
  suggestedUrl: string;
  connections: SandboxConnection[];
  /** Masks these headers in the sandbox's request log (API-key headers the connections name). */
  maskHeaders?(names: Iterable<string>): void;
  close(): Promise<void>;
};

export async function startEmbeddedSandbox(
  options: { data?: string } = {},
): Promise<EmbeddedSandbox> {
  const sandbox = await startSandbox({ port: 0, data: options.data ?? ':memory:', seed: 'demo' });
  return {
    url: sandbox.url,
    suggestedUrl: suggestedResourceUrl(sandbox.url),
    connections: sandboxConnections(),
    maskHeaders: (names) => sandbox.maskHeaders(names),
    close: () => sandbox.close(),
  };
}

/** A resource to show on the address bar: a generic REST item, which needs no credentials. */
export function suggestedResourceUrl(sandboxUrl: string): string {
  const collection = SANDBOX_IDS.restCollections.strict412;
  return `${sandboxUrl}/rest/${collection}/${SANDBOX_IDS.restItemIds[collection as keyof typeof SANDBOX_IDS.restItemIds]}`;
}

export function sandboxConnections(): SandboxConnection[] {
  const twilio: AuthInput = {
    kind: 'basic',
    username: SANDBOX_CREDENTIALS.twilio.accountSid,
    password: SANDBOX_CREDENTIALS.twilio.authToken,
  };
  const sync = { serviceSid: SANDBOX_IDS.syncServiceSid };
  const { strict412, lenient409, requirePrecondition } = SANDBOX_IDS.restCollections;
  return [
    {
      name: 'Sandbox · TaskRouter tasks',
      profileId: 'twilio-taskrouter-task',
      baseUrl: `${SANDBOX_BASE_URL}/taskrouter`,
      params: { workspaceSid: SANDBOX_IDS.workspaceSid },
      auth: twilio,
      customProfile: null,
    },
    {
      name: 'Sandbox · Sync documents',
      profileId: 'twilio-sync-document',
      baseUrl: `${SANDBOX_BASE_URL}/sync`,
      params: sync,
      auth: twilio,
      customProfile: null,
    },
    {
      name: `Sandbox · Sync list “${SANDBOX_IDS.listUniqueName}”`,
      profileId: 'twilio-sync-list-item',
      baseUrl: `${SANDBOX_BASE_URL}/sync`,
      params: { ...sync, listSid: SANDBOX_IDS.listUniqueName },
      auth: twilio,
      customProfile: null,
    },
    {
      name: `Sandbox · Sync map “${SANDBOX_IDS.mapUniqueName}”`,
      profileId: 'twilio-sync-map-item',
      baseUrl: `${SANDBOX_BASE_URL}/sync`,
      params: { ...sync, mapSid: SANDBOX_IDS.mapUniqueName },
      auth: twilio,
      customProfile: null,
    },
    {
      name: `Sandbox · REST ${strict412} (strict, 412)`,
      profileId: REST_STRICT_MERGE_PATCH.id,
      baseUrl: `${SANDBOX_BASE_URL}/rest`,
      params: { collection: strict412 },
      auth: { kind: 'none' },
      customProfile: REST_STRICT_MERGE_PATCH,
    },
    {
      name: `Sandbox · REST ${lenient409} (409)`,
      profileId: 'rest-etag',
      baseUrl: `${SANDBOX_BASE_URL}/rest`,
      params: { collection: lenient409 },
      auth: { kind: 'none' },
      customProfile: null,
    },
    {
      name: `Sandbox · REST ${requirePrecondition} (428)`,
      profileId: 'rest-etag',
      baseUrl: `${SANDBOX_BASE_URL}/rest`,
      params: { collection: requirePrecondition },
      auth: { kind: 'none' },
      customProfile: null,
    },
    {
      name: 'Sandbox · Genesys users',
      profileId: 'body-version',
      baseUrl: `${SANDBOX_BASE_URL}/genesys`,
      params: {},
      auth: { kind: 'bearer', token: SANDBOX_CREDENTIALS.genesys.bearerToken },
      customProfile: null,
    },
  ];
}
