// Sandbox conditional-write throughput: PATCH with If-Match against one hot resource and across
// many, at 1, 8 and 64 concurrent clients. A 412 refreshes the client's ETag with a GET and counts
// as a conflict. Bounded (2,000 writes per configuration) so the whole run takes seconds.
import { startSandbox } from '../sandbox/index';

const WRITES = 2000;
const SPREAD = 256;
const CONCURRENCY = [1, 8, 64];

type Result = {
  label: string;
  clients: number;
  ok: number;
  conflicts: number;
  seconds: number;
  latencies: number[];
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export async function run(): Promise<void> {
  const sandbox = await startSandbox({ port: 0, data: ':memory:', seed: 'none' });
  const base = `${sandbox.url}/rest/bench`;
  try {
    await fetch(`${sandbox.url}/_sandbox/switches`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        rest: {
          collections: {
            bench: { conflictStatus: 412, comparison: 'lenient', requirePrecondition: true },
          },
        },
      }),
    });
    for (let i = 0; i < SPREAD; i++) {
      const res = await fetch(base, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: `r${i}`, n: 0 }),
      });
      if (res.status !== 201) throw new Error(`seeding bench/r${i} failed: ${res.status}`);
    }

    const results: Result[] = [];
    for (const [label, pick] of [
      ['hot (1 resource)', () => 'r0'],
      [`spread (${SPREAD} resources)`, () => `r${Math.floor(Math.random() * SPREAD)}`],
    ] as const) {
      for (const clients of CONCURRENCY) results.push(await measure(base, label, clients, pick));
    }

    console.log(
      `\nConditional writes (PATCH + If-Match, ${WRITES} per row; a 412 triggers a GET to refresh the ETag)`,
    );
    const header = ['target', 'clients', 'writes/s', 'ok/s', 'ok', '412s', 'p50 ms', 'p99 ms'];
    const rows = results.map((r) => {
      const sorted = [...r.latencies].sort((a, b) => a - b);
      return [
        r.label,
        String(r.clients),
        ((r.ok + r.conflicts) / r.seconds).toFixed(0),
        (r.ok / r.seconds).toFixed(0),
        String(r.ok),
        String(r.conflicts),
        percentile(sorted, 50).toFixed(2),
        percentile(sorted, 99).toFixed(2),
      ];
    });
    const widths = header.map((h, i) =>
      Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
    );
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
        .join('  ');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
  } finally {
    await sandbox.close();
  }
}

async function measure(
  base: string,
  label: string,
  clients: number,
  pick: () => string,
): Promise<Result> {
  let remaining = WRITES;
  let ok = 0;
  let conflicts = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const tags = new Map<string, string>();
      while (remaining > 0) {
        remaining--;
        const id = pick();
        let tag = tags.get(id);
        if (tag === undefined) {
          const res = await fetch(`${base}/${id}`);
          await res.arrayBuffer();
          tag = res.headers.get('etag') as string;
        }
        const t0 = performance.now();
        const res = await fetch(`${base}/${id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/merge-patch+json', 'if-match': tag },
          body: JSON.stringify({ n: Math.random() }),
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.status === 200) {
          ok++;
          tags.set(id, res.headers.get('etag') as string);
        } else if (res.status === 412) {
          conflicts++;
          tags.delete(id);
        } else {
          throw new Error(`unexpected status ${res.status}`);
        }
      }
    }),
  );
  return {
    label,
    clients,
    ok,
    conflicts,
    seconds: (performance.now() - started) / 1000,
    latencies,
  };
}
