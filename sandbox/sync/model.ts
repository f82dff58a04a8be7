// Sync storage shapes. Revisions are integers in the store and lowercase hex on the wire; list and
// map items take their revision from the parent collection's counter (reference §2).
import type { Row } from '../store';

export const SERVICE = 'sync-service';
export const DOCUMENT = 'sync-document';

export type ServiceBody = { friendly_name: string; unique_name: string | null };
export type DocumentBody = { unique_name: string | null; data: unknown; expires: string | null };
export type CollectionBody = {
  unique_name: string | null;
  expires: string | null;
  next_index: number;
};
export type ItemBody = { data: unknown; expires: string | null };

export const MAX_DATA_BYTES = 16 * 1024;

export const revision = (version: number): string => version.toString(16);

/** TTL'd resources expire lazily: an expired row is treated as absent. */
export function alive(row: Row | undefined): Row | undefined {
  if (!row) return undefined;
  const expires = (row.body as { expires?: string | null }).expires;
  return expires && Date.parse(expires) <= Date.now() ? undefined : row;
}

export type CollectionSpec = {
  segment: 'Lists' | 'Maps';
  parentKind: string;
  itemKind: string;
  sidPrefix: 'ES' | 'MP';
  parentField: 'list_sid' | 'map_sid';
  collectionKey: 'lists' | 'maps';
  codes: {
    parentNotFound: number;
    itemNotFound: number;
    mismatch: number;
    invalidData: number;
    duplicate: number;
  };
};

export const LISTS: CollectionSpec = {
  segment: 'Lists',
  parentKind: 'sync-list',
  itemKind: 'sync-list-item',
  sidPrefix: 'ES',
  parentField: 'list_sid',
  collectionKey: 'lists',
  codes: {
    parentNotFound: 54150,
    itemNotFound: 54151,
    mismatch: 54155,
    invalidData: 54156,
    duplicate: 54301,
  },
};

export const MAPS: CollectionSpec = {
  segment: 'Maps',
  parentKind: 'sync-map',
  itemKind: 'sync-map-item',
  sidPrefix: 'MP',
  parentField: 'map_sid',
  collectionKey: 'maps',
  codes: {
    parentNotFound: 54200,
    itemNotFound: 54201,
    mismatch: 54205,
    invalidData: 54206,
    duplicate: 54208,
  },
};
