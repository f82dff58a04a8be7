// One V8 setting for a large merge. The command's code runs once, cold, on inputs of megabytes:
// V8 optimises its loops on background threads while they run, and with inlining each compile
// grows large. On two cores those compiles compete with the merge itself (at 5 MB, about 130 ms
// of compiler CPU beside a merge thread of 120 ms). Without inlining they take about 90 ms, and
// the command 18 ms less CPU and 4 ms less time at 5 MB, the same at 20 MB (docs/merge.md).
// Loaded only for a merge of 2 MB or more in all (see runMerge): node:v8 takes about 2 ms to load.
import { setFlagsFromString } from 'node:v8';

export function inlineLess(): void {
  // Read by V8 at each optimised compile, so it holds for every one after this.
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=0');
}
