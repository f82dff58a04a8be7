// The long texts one side of the page–host exchange sent or received lately, by the ids their
// frames carried: the bases a later message may send a delta of (wire.ts, text-delta.ts). A few,
// by recency; a text the other side names after it left the shelf is asked for again whole.
import { DELTA_MIN_CHARS } from './text-delta';

export class TextShelf {
  private readonly texts = new Map<string, string>();
  private chars = 0;

  constructor(
    private readonly maxTexts: number,
    private readonly maxChars: number,
  ) {}

  /** The text kept under `id` (now the most recent), if it is still here. */
  get(id: string): string | undefined {
    const text = this.texts.get(id);
    if (text !== undefined) {
      this.texts.delete(id);
      this.texts.set(id, text);
    }
    return text;
  }

  /** Keeps texts long enough to be a delta's base, dropping the least recent beyond the bounds. */
  put(entries: ReadonlyArray<readonly [string, string]>): void {
    for (const [id, text] of entries) {
      if (text.length < DELTA_MIN_CHARS / 2 || text.length > this.maxChars) continue;
      const old = this.texts.get(id);
      if (old !== undefined) {
        this.texts.delete(id);
        this.chars -= old.length;
      }
      this.texts.set(id, text);
      this.chars += text.length;
    }
    for (const [id, text] of this.texts) {
      if (this.texts.size <= this.maxTexts && this.chars <= this.maxChars) break;
      this.texts.delete(id);
      this.chars -= text.length;
    }
  }

  /** The texts kept, the most recent first. */
  entries(): Array<[string, string]> {
    return [...this.texts].reverse();
  }
}
