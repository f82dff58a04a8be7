// A refusal in words that say what the operator can do about it. The backend's message names what
// happened; for the statuses an operator can act on, this says how.
import type { BackendError } from '../../../shared/api/types';

/** "16 KiB", "64 KB" or "1 MB" when the server's own words name its limit. */
function limitIn(excerpt: string | undefined): string | null {
  const m = excerpt?.match(/(\d+(?:\.\d+)?)\s*(KiB|KB|kB|MiB|MB|bytes)\b/);
  return m ? `${m[1]} ${m[2]}` : null;
}

export function errorWords(
  error: Pick<BackendError, 'message' | 'status' | 'bodyExcerpt'>,
): string {
  switch (error.status) {
    case 401:
      return `The server rejected the credentials (401) — check the token or password in Connections (Manage…), then try again.`;
    case 403:
      return `The server refuses these credentials access to this resource (403) — check the account's permissions, or the credentials in Connections.`;
    case 413: {
      const limit = limitIn(error.bodyExcerpt);
      return `The server refuses documents this large (413)${limit ? `: its limit is ${limit}` : ''} — make the document smaller. Nothing was written; your edit is kept.`;
    }
    case 429:
      return `The server is rate-limiting requests (429) — wait a moment and try again. Nothing was written; your edit is kept.`;
    default:
      return error.message;
  }
}

/** A sentence used inside another ("… : <clause>. Your edit is kept."): its own final stop dropped. */
export function clause(text: string): string {
  return text.replace(/[.\s]+$/, '');
}
