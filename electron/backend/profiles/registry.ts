// Finds the profile of a connection: a built-in, or the user-defined one saved with it.
import { BUILT_IN_PROFILES, builtInProfile } from '../../../shared/profiles/built-in';
import type { ProfileSpec } from '../../../shared/profiles/spec';
import { checkProfileSpec } from '../../../shared/profiles/validate';
import type { ProfileInfo } from '../../../shared/api/types';

export function profileFor(
  profileId: string,
  customProfile: unknown | null,
): { ok: true; value: ProfileSpec } | { ok: false; error: string } {
  if (customProfile !== null && customProfile !== undefined) {
    const checked = checkProfileSpec(customProfile);
    if (!checked.ok) return checked;
    if (checked.value.id !== profileId)
      return {
        ok: false,
        error: `The custom profile's id "${checked.value.id}" differs from the connection's profile "${profileId}".`,
      };
    return checked;
  }
  const builtIn = builtInProfile(profileId);
  return builtIn
    ? { ok: true, value: builtIn }
    : { ok: false, error: `There is no profile named "${profileId}".` };
}

export function profileInfo(spec: ProfileSpec, builtIn: boolean): ProfileInfo {
  return {
    id: spec.id,
    label: spec.label,
    family: spec.family,
    description: spec.description,
    params: spec.params,
    filters: (spec.list.filters ?? []).map(({ name, label, options }) =>
      options ? { name, label, options } : { name, label },
    ),
    hasSearch: true,
    builtIn,
  };
}

export const builtInProfileInfos = (): ProfileInfo[] =>
  BUILT_IN_PROFILES.map((p) => profileInfo(p, true));
