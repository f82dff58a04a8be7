// The least a merge command that parses all three documents whole can do, as a whole process: read
// the three files, parse each with the native JSON.parse, write one of them back pretty-printed. No
// validation, no merge. The CLI benchmark runs it beside `conflict-desk merge` and `git merge-file`
// to show how much of the command's time is Node itself. CommonJS, like the command's entry: Node's ES module loader
// would add about 10 ms to every start.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

const [base, mine, theirs, out] = process.argv.slice(2);
const values = [base, mine, theirs].map((file) => JSON.parse(readFileSync(file).toString('utf8')));
writeFileSync(out, JSON.stringify(values[1], null, 2) + '\n');
