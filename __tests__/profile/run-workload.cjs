// `node --cpu-prof run-workload.cjs SCALE OPS`: a fixed amount of work for the CLI diff tests.
'use strict'; /* global require */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS on purpose
const { operation } = require('./workload.cjs');
const scale = Number(process.argv[2] ?? 1);
const ops = Number(process.argv[3] ?? 3000);
let sink = 0;
for (let i = 0; i < ops; i += 1) sink += operation(scale);
if (sink === 42) process.stdout.write('unlikely\n');
