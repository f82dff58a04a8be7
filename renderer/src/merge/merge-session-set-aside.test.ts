// Hand edits a rebase set aside were made against an older Server now: brought back, they must
// not write the server's newer values back (never a blind write), and stay the operator's edits.
import { describe, expect, it } from 'vitest';
import { docSnapshot as snap, sessionOf as session } from './merge-session.fixture';
import { editResult, rebaseSession, restoreSetAside, resultText } from './merge-session';

const moved = (journalId: number, doc: unknown) => ({
  theirs: snap(journalId, doc),
  status: 412,
  afterLostAnswer: false,
  mergeOptions: {},
});

describe('bringing back hand edits a rebase set aside', () => {
  it('keeps the server’s newer change to a field the hand edits did not touch', () => {
    let s = session({ a: 1, b: 1 }, { a: 2, b: 1 }, { a: 3, b: 1 });
    // The operator types a value of their own for the conflict, by hand.
    s = editResult(s, JSON.stringify({ a: 5, b: 1 }, null, 2));
    // The server changes b meanwhile: the merge is redone, the hand edits set aside.
    const redone = rebaseSession(s, moved(3, { a: 3, b: 9 }));
    expect(redone.manualText).toBeNull();
    const back = restoreSetAside(redone);
    // Verbatim, the text held b: 1, and saving it over revision 3 wrote b back unseen.
    expect(JSON.parse(resultText(back))).toEqual({ a: 5, b: 9 });
  });
});

describe('hand edits set aside, when the server changed a field they edited too', () => {
  it('keeps the typed value there, and the notice says so', () => {
    let s = session({ a: 1, b: 1 }, { a: 2, b: 1 }, { a: 3, b: 1 });
    s = editResult(s, JSON.stringify({ a: 5, b: 7 }, null, 2));
    const redone = rebaseSession(s, moved(3, { a: 3, b: 9 }));
    expect(JSON.parse(resultText(restoreSetAside(redone)))).toEqual({ a: 5, b: 7 });
    expect(redone.notice).toMatch(/1 field you edited by hand was changed again/);
  });

  it('text that does not parse is kept as it is', () => {
    let s = session({ a: 1, b: 1 }, { a: 2, b: 1 }, { a: 3, b: 1 });
    s = editResult(s, '{ "a": 5, ');
    const redone = rebaseSession(s, moved(3, { a: 3, b: 9 }));
    expect(redone.setAside).toBe('{ "a": 5, ');
    expect(redone.notice).toMatch(/not valid JSON/);
  });
});

describe('bringing back set-aside hand edits over new hand edits', () => {
  it('sets the new ones aside in their place, rather than dropping them', () => {
    let s = session({ a: 1, b: 1 }, { a: 2, b: 1 }, { a: 3, b: 1 });
    s = editResult(s, JSON.stringify({ a: 5, b: 1 }, null, 2));
    let redone = rebaseSession(s, moved(3, { a: 3, b: 9 }));
    // New hand edits typed over the redone merge, then *Bring back my hand edits*.
    const typedNow = JSON.stringify({ a: 6, b: 9 }, null, 2);
    redone = editResult(redone, typedNow);
    const back = restoreSetAside(redone);
    expect(JSON.parse(resultText(back))).toEqual({ a: 5, b: 9 });
    expect(back.setAside).toBe(typedNow);
    // And back again.
    expect(resultText(restoreSetAside(back))).toBe(typedNow);
  });
});
