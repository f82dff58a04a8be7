// Making V8's code cache for the bundled command, kept beside the bundle and read by
// bin/conflict-desk.cjs when it compiles it. A cache holds the bytecode of the functions compiled
// when it is made, so it is made after a small merge has run (warmMerge): a git driver's later runs
// then compile nothing they read from it (about 5 ms at 5 MB). Made once per bundle and Node
// version, by the first run without one; a run that cannot write it goes on without.
import { accessSync, constants, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Script } from 'node:vm';
import { warmMerge } from './merge';

/** Makes the cache of `script` (the bundle) in `file`; what became of it, for the bin's trace. */
export function makeCodeCache(script: Script, file: string): string {
  try {
    // A read-only install: every run would make the cache only to fail to write it.
    accessSync(dirname(file), constants.W_OK);
  } catch {
    return 'not made: its folder is not writable';
  }
  const temp = `${file}.${process.pid}.tmp`;
  try {
    warmMerge();
    // Written whole, then renamed: a run reading it meanwhile finds none or all of it.
    writeFileSync(temp, script.createCachedData());
    renameSync(temp, file);
    return 'made';
  } catch (err) {
    rmSync(temp, { force: true });
    return `not made: ${(err as Error)?.message ?? String(err)}`;
  }
}
