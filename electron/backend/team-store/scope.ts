// A connection's identity across the team. Local connection ids are per machine (random UUIDs);
// two operators reach "the same" resources when profile, base URL and parameters agree, whatever
// credentials each of them typed. The scope never contains a secret (userinfo is dropped).
import { resolveBaseUrl } from '../connection-context';
import type { StoredConnection } from '../store/connections';

export function connectionScope(connection: StoredConnection, sandboxUrl: string | null): string {
  const base = resolveBaseUrl(connection, sandboxUrl) ?? connection.baseUrl;
  const params = Object.keys(connection.params)
    .sort()
    .map((key) => `${key}=${connection.params[key]}`)
    .join('&');
  return `${connection.profileId} ${withoutUserinfo(base)}${params ? ` ${params}` : ''}`;
}

function withoutUserinfo(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return url;
  }
}
