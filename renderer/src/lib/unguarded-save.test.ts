import { describe, expect, it } from 'vitest';
import { opened, typed } from '../session/editing-session';
import { openedFixture, TASK_REF, pretty, taskSnapshot } from '../session/snapshot.fixture';
import type { DeskState } from '../store';
import type { Question } from '../store/ui-slice';
import { saveEdit } from './unguarded-save';

const ref = TASK_REF;
const snap = taskSnapshot;

/** The two things saveEdit uses of the store: the question it asks and the save it starts. */
function desk(answer: boolean) {
  const asked: Question[] = [];
  const saves: Array<{ key: string; options: unknown }> = [];
  const state = {
    ask: async (q: Question) => {
      asked.push(q);
      return answer;
    },
    save: async (key: string, options?: unknown) => {
      saves.push({ key, options });
    },
  } as unknown as DeskState;
  return { state, asked, saves };
}

describe('saveEdit (the Save button and Ctrl+S)', () => {
  const latest = snap(3, '3', { priority: 1, status: 'closed' });
  const restored = openedFixture(snap(1, '1', { priority: 1, status: 'open' }), {
    snapshot: latest,
    draftBase: null,
    draftBaseLost: { journalId: 1, reason: 'not in the journal' },
    draft: { text: pretty({ priority: 5, status: 'open' }), updatedAt: '2026-01-01T00:01:00Z' },
  });

  it('asks before saving a draft whose own base could not be read, listing every field it changes', async () => {
    const refused = desk(false);
    await saveEdit(refused.state, restored);
    expect(refused.saves).toEqual([]);
    expect(refused.asked).toHaveLength(1);
    expect(refused.asked[0]!.items).toHaveLength(2);
    expect(refused.asked[0]!.items!.join('\n')).toMatch(/status.*closed.*open/);
    expect(refused.asked[0]!.body).toContain('journal entry #1');

    const confirmed = desk(true);
    await saveEdit(confirmed.state, restored);
    expect(confirmed.saves).toEqual([{ key: restored.key, options: undefined }]);
  });

  it('saves a draft whose base was read without asking', async () => {
    const plain = typed(
      opened({
        ref,
        title: 't',
        connectionName: 'c',
        snapshot: latest,
        draftBase: null,
        draft: null,
        merge: null,
        pending: [],
      }),
      pretty({ priority: 5, status: 'closed' }),
    );
    const d = desk(true);
    await saveEdit(d.state, plain);
    expect(d.asked).toEqual([]);
    expect(d.saves).toHaveLength(1);
  });
});
