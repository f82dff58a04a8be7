// WebDAV listing: a PROPFIND with Depth 1 on a folder answers a multistatus document with one
// <response> per member (the folder itself first). Parsed with a small tolerant reader: any
// namespace prefix, CDATA-free text, entities decoded; no XML library in the backend.

export const PROPFIND_BODY =
  '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><D:getlastmodified/><D:resourcetype/></D:prop></D:propfind>';

export type DavEntry = {
  href: string;
  etag: string | null;
  modified: string | null;
  collection: boolean;
};

/**
 * One pass over the tags, each found by a regex that never looks past the next "<" or ">", so a
 * hostile or broken answer (200,000 unclosed tags) costs its length, not its length squared.
 */
export function parseMultistatus(xml: string): DavEntry[] {
  type Stat = { ok: boolean; etag: string | null; modified: string | null; collection: boolean };
  const entries: DavEntry[] = [];
  let response: { href: string | null; stats: Stat[] } | null = null;
  let stat: Stat | null = null;
  let inResourceType = false;
  // The element whose text is being read, and where that text starts.
  let reading: { name: string; from: number } | null = null;
  for (const match of xml.matchAll(/<(\/?)(?:[\w.-]+:)?([\w.-]+)[^<>]*?(\/?)>/g)) {
    const [tag, closing, rawName, selfClosing] = match;
    const name = rawName!.toLowerCase();
    const at = match.index;
    if (closing) {
      if (reading?.name === name) {
        const text = decodeXml(xml.slice(reading.from, at).trim());
        if (name === 'href') response!.href ??= text;
        else if (stat && name === 'status') stat.ok = /\s200\s/.test(` ${text} `);
        else if (stat && name === 'getetag') stat.etag ??= text;
        else if (stat && name === 'getlastmodified') stat.modified ??= text;
        reading = null;
      } else if (name === 'resourcetype') inResourceType = false;
      else if (name === 'propstat' && stat && response) {
        response.stats.push(stat);
        stat = null;
      } else if (name === 'response' && response) {
        if (response.href !== null) {
          // A propstat whose status is not 200 holds properties the server does not have.
          const ok = response.stats.filter((s) => s.ok);
          entries.push({
            href: response.href,
            etag: ok.find((s) => s.etag !== null)?.etag ?? null,
            modified: ok.find((s) => s.modified !== null)?.modified ?? null,
            collection: ok.some((s) => s.collection),
          });
        }
        response = null;
        stat = null;
      }
      continue;
    }
    if (name === 'response') {
      response = { href: null, stats: [] };
      stat = null;
    } else if (!response) continue;
    else if (name === 'propstat')
      stat = { ok: true, etag: null, modified: null, collection: false };
    else if (name === 'resourcetype') inResourceType = !selfClosing;
    else if (name === 'collection' && inResourceType && stat) stat.collection = true;
    else if (
      (name === 'href' && response.href === null) ||
      (stat && (name === 'status' || name === 'getetag' || name === 'getlastmodified'))
    ) {
      if (selfClosing) {
        if (name === 'getetag' && stat) stat.etag ??= '';
        if (name === 'getlastmodified' && stat) stat.modified ??= '';
      } else reading = { name, from: at + tag.length };
    }
  }
  return entries;
}

/** The files of a folder listing whose names end with `suffix`, as { id, etag, modified }, in id order. */
export function davFiles(
  entries: DavEntry[],
  folderPath: string,
  suffix: string,
): Array<{ id: string; etag: string | null; modified: string | null }> {
  // Compared as paths, not strings: a folder typed "docs/" or "/docs" asks for "/docs%2F/" or
  // "/%2Fdocs/", which the server lists as "/docs/…".
  const folder = normalPath(safeDecode(folderPath));
  const out: Array<{ id: string; etag: string | null; modified: string | null }> = [];
  for (const entry of entries) {
    if (entry.collection) continue;
    const path = normalPath(safeDecode(pathOf(entry.href)));
    if (path === null || folder === null) continue;
    const slash = path.lastIndexOf('/');
    const name = path.slice(slash + 1);
    // Only direct members of the folder; a server may list the folder itself or deeper paths.
    if (path.slice(0, slash) !== folder || !name.endsWith(suffix) || name.length === suffix.length)
      continue;
    out.push({
      id: name.slice(0, name.length - suffix.length),
      etag: entry.etag,
      modified: entry.modified,
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function pathOf(href: string): string {
  try {
    return new URL(href, 'http://placeholder').pathname;
  } catch {
    return href;
  }
}

/** Repeated slashes as one, no trailing slash. */
function normalPath(path: string | null): string | null {
  return path === null ? null : path.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function decodeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
