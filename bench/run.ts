// `npm run bench [-- name…]`: runs every benchmark module (or the named ones) in one process, so
// the figures of one run can be compared with each other. Each module prints its own table.
export {};
const suites: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  batch: () => import('./batch.bench'),
  merge: () => import('./merge.bench'),
  cli: () => import('./cli.bench'),
  wire: () => import('./wire.bench'),
  sandbox: () => import('./sandbox.bench'),
  ui: () => import('./ui.bench'),
  'team-store': () => import('./team-store.bench'),
  'wire-forms': () => import('./wire-forms.bench'),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(
    `Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(suites).join(', ')}`,
  );
  process.exit(2);
}
for (const [name, load] of Object.entries(suites)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n=== bench: ${name} ===`);
  const suite = await load();
  await suite.run();
}
