// User-defined profiles (plain data) that the sandbox connections use: a strict REST collection
// hands out weak ETags but compares strongly, so its tags go back as strong ones, and saves are
// JSON Merge Patches. They show what an operator's own profile looks like.
import { REST_ETAG } from './built-in';
import type { ProfileSpec } from './spec';

export const REST_STRICT_MERGE_PATCH: ProfileSpec = {
  ...REST_ETAG,
  id: 'rest-strict-merge-patch',
  label: 'REST · strict ETags, merge patch',
  description:
    'A collection that compares ETags strongly: weak tags are sent back as strong ones; saves are JSON Merge Patches (RFC 7396).',
  revision: { in: 'etag', weak: 'send-as-strong' },
  write: {
    method: 'PATCH',
    encoding: 'merge-patch',
    precondition: 'if-match',
    conflictStatuses: [412],
  },
};
