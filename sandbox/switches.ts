// Behaviour switches, kept in the database so they survive a restart with --data FILE. Defaults
// follow the real APIs; everything the reference marks as unverified is switchable.
import { applyMergePatch } from './merge-patch';
import { isPlainObject } from './http';
import type { Store } from './store';

export type RestCollectionSettings = {
  /** Status for a failed If-Match: 412 (RFC) or 409 (APIs that report conflicts as 409). */
  conflictStatus: 409 | 412;
  /** strict = RFC strong comparison (W/ tags in If-Match never match); lenient = weak comparison. */
  comparison: 'strict' | 'lenient';
  /** Answer 428 to PUT/PATCH/DELETE without If-Match. */
  requirePrecondition: boolean;
};

export type Switches = {
  twilio: {
    /** ETag header as "3" instead of bare 3 (Twilio's real form is unverified). */
    quotedEtags: boolean;
    /** Sync 412 code: 54103/54155/54205 (default) or 20412. */
    syncPreconditionCode: 'sync' | '20412';
    /** url/links/next_page_url: this server (default) or https://<product>.twilio.com. */
    urls: 'local' | 'twilio';
    /** If-Match: * (or any tag) on a missing task/item: 404 Twilio-style (default) or 412 RFC-style. */
    missingWithIfMatch: 404 | 412;
  };
  /** 428 for writes without a precondition (If-Match; for Genesys a body version). */
  requirePrecondition: { taskrouter: boolean; sync: boolean; genesys: boolean };
  rest: { defaults: RestCollectionSettings; collections: Record<string, RestCollectionSettings> };
  genesys: { conflictCode: string };
};

export function defaultSwitches(): Switches {
  return {
    twilio: {
      quotedEtags: false,
      syncPreconditionCode: 'sync',
      urls: 'local',
      missingWithIfMatch: 404,
    },
    requirePrecondition: { taskrouter: false, sync: false, genesys: false },
    rest: {
      defaults: { conflictStatus: 412, comparison: 'strict', requirePrecondition: false },
      collections: {},
    },
    genesys: { conflictCode: 'general.conflict' },
  };
}

export function loadSwitches(store: Store): Switches {
  const saved = store.setting('switches');
  return isPlainObject(saved)
    ? (applyMergePatch(defaultSwitches(), saved) as Switches)
    : defaultSwitches();
}

export function saveSwitches(store: Store, switches: Switches): void {
  store.setSetting('switches', switches);
}

export function restSettings(switches: Switches, collection: string): RestCollectionSettings {
  return { ...switches.rest.defaults, ...switches.rest.collections[collection] };
}

/** Validates a merged switch set; returns an error message or null. */
export function validateSwitches(value: unknown): string | null {
  if (!isPlainObject(value)) return 'switches must be an object';
  const s = value as Switches;
  const bool = (v: unknown) => typeof v === 'boolean';
  if (!isPlainObject(s.twilio) || !bool(s.twilio.quotedEtags))
    return 'twilio.quotedEtags must be a boolean';
  if (s.twilio.syncPreconditionCode !== 'sync' && s.twilio.syncPreconditionCode !== '20412')
    return "twilio.syncPreconditionCode must be 'sync' or '20412'";
  if (s.twilio.urls !== 'local' && s.twilio.urls !== 'twilio')
    return "twilio.urls must be 'local' or 'twilio'";
  if (s.twilio.missingWithIfMatch !== 404 && s.twilio.missingWithIfMatch !== 412)
    return 'twilio.missingWithIfMatch must be 404 or 412';
  if (!isPlainObject(s.requirePrecondition)) return 'requirePrecondition must be an object';
  for (const family of ['taskrouter', 'sync', 'genesys'] as const) {
    if (!bool(s.requirePrecondition[family]))
      return `requirePrecondition.${family} must be a boolean`;
  }
  if (!isPlainObject(s.rest) || !isPlainObject(s.rest.collections))
    return 'rest.collections must be an object';
  const entries: Array<[string, unknown]> = [
    ['rest.defaults', s.rest.defaults],
    ...Object.entries(s.rest.collections).map(([k, v]): [string, unknown] => [
      `rest.collections.${k}`,
      v,
    ]),
  ];
  for (const [name, c] of entries) {
    if (!isPlainObject(c)) return `${name} must be an object`;
    if (c.conflictStatus !== undefined && c.conflictStatus !== 409 && c.conflictStatus !== 412)
      return `${name}.conflictStatus must be 409 or 412`;
    if (c.comparison !== undefined && c.comparison !== 'strict' && c.comparison !== 'lenient')
      return `${name}.comparison must be 'strict' or 'lenient'`;
    if (c.requirePrecondition !== undefined && !bool(c.requirePrecondition))
      return `${name}.requirePrecondition must be a boolean`;
  }
  if (!isPlainObject(s.genesys) || typeof s.genesys.conflictCode !== 'string')
    return 'genesys.conflictCode must be a string';
  return null;
}
