// Presence in words: "alice has this task open · editing for 2 min". Pure, so it is tested alone.
import type { TeamPresence } from '../../../shared/api/types';

/** What a resource of this profile is called in a sentence. */
export function nounFor(profileId: string | undefined): string {
  if (!profileId) return 'resource';
  if (profileId.includes('task')) return 'task';
  if (profileId.includes('document')) return 'document';
  if (profileId.includes('list-item') || profileId.includes('map-item')) return 'item';
  if (profileId.includes('user')) return 'user';
  return 'resource';
}

export function durationWords(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

export function presenceWords(people: TeamPresence[], noun: string): string {
  if (people.length === 0) return '';
  const names = [...new Set(people.map((p) => p.operator))];
  const who =
    names.length <= 2
      ? names.join(' and ')
      : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
  const editing = people
    .filter((p) => p.editingForMs !== null)
    .sort((a, b) => b.editingForMs! - a.editingForMs!)[0];
  const verb = names.length === 1 ? 'has' : 'have';
  const tail = editing
    ? ` · ${names.length > 1 ? `${editing.operator} ` : ''}editing for ${durationWords(editing.editingForMs!)}`
    : '';
  return `${who} ${verb} this ${noun} open${tail}`;
}
