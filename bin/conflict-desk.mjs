#!/usr/bin/env node
// The command's former entry, kept for git configurations that name it: it runs
// bin/conflict-desk.cjs, which the package's `conflict-desk` command starts directly (without the
// ES module loader this file needs, so a little faster).
import './conflict-desk.cjs';
