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

export function parseMultistatus(xml: string): DavEntry[] {
  const entries: DavEntry[] = [];
  for (const [block] of xml.matchAll(
    /<(?:[\w.-]+:)?response\b[\s\S]*?<\/(?:[\w.-]+:)?response\s*>/gi,
  )) {
    const href = textOf(block, 'href');
    if (href === null) continue;
    // A propstat whose status is not 200 holds properties the server does not have.
    const ok = [...block.matchAll(/<(?:[\w.-]+:)?propstat\b[\s\S]*?<\/(?:[\w.-]+:)?propstat\s*>/gi)]
      .map(([p]) => p)
      .filter((p) => /\s200\s/.test(textOf(p, 'status') ?? ' 200 '));
    const props = ok.join('');
    entries.push({
      href,
      etag: textOf(props, 'getetag'),
      modified: textOf(props, 'getlastmodified'),
      collection: /<(?:[\w.-]+:)?collection\b/i.test(textOf(props, 'resourcetype', true) ?? ''),
    });
  }
  return entries;
}

/** The files of a folder listing whose names end with `suffix`, as { id, etag, modified }, in id order. */
export function davFiles(
  entries: DavEntry[],
  folderPath: string,
  suffix: string,
): Array<{ id: string; etag: string | null; modified: string | null }> {
  const folder = safeDecode(folderPath.replace(/\/+$/, ''));
  const out: Array<{ id: string; etag: string | null; modified: string | null }> = [];
  for (const entry of entries) {
    if (entry.collection) continue;
    const path = safeDecode(pathOf(entry.href));
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

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function textOf(xml: string, tag: string, inner = false): string | null {
  const match = new RegExp(
    `<(?:[\\w.-]+:)?${tag}\\b[^>]*?(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${tag}\\s*>)`,
    'i',
  ).exec(xml);
  if (!match) return null;
  const body = match[1] ?? '';
  return inner ? body : decodeXml(body.trim());
}

function decodeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
