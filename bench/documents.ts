// Documents the benchmarks share: a ticket of a chosen size holding a list of customer items.
export function bigDocument(targetBytes: number, id = 'big'): Record<string, unknown> {
  const items: Array<Record<string, unknown>> = [];
  let size = 0;
  for (let i = 0; size < targetBytes; i++) {
    const item = {
      id: `item-${i}`,
      name: `Customer ${i}`,
      tier: ['bronze', 'silver', 'gold'][i % 3],
      phone: `+1555${String(i).padStart(7, '0')}`,
      skills: ['billing', 'returns'].slice(0, (i % 2) + 1),
      notes: `Note ${i}: called about order ${1000 + i}.`,
    };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return { id, subject: `Ticket of ${targetBytes} bytes`, status: 'open', items };
}

export const fmtBytes = (bytes: number): string =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1 << 20
      ? `${(bytes / 1024).toFixed(0)} KB`
      : `${(bytes / (1 << 20)).toFixed(2)} MB`;

/** Median and range of samples, as "median (min–max)". */
export function spread(samples: readonly number[], format: (n: number) => string): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return sorted.length === 1
    ? format(median)
    : `${format(median)} (${format(sorted[0]!)}–${format(sorted[sorted.length - 1]!)})`;
}

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
