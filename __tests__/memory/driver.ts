// Runs captureMemory on one exported function of a fixture module, in a fresh node process
// (as the bench child would), and prints the attachment as JSON. Bundled by helpers.ts.
import { pathToFileURL } from 'node:url';
import { captureMemory } from '../../src/memory/capture.js';
import { memoryOptionsSchema } from '../../src/memory/options.js';

const [modulePath, exportName, optionsJson, projectRoot, repeatText] = process.argv.slice(2);
const module = (await import(pathToFileURL(modulePath!).href)) as Record<string, () => unknown>;
const fn = module[exportName!];
if (typeof fn !== 'function') throw new Error(`${exportName} is not exported by ${modulePath}`);
const options = memoryOptionsSchema.parse(JSON.parse(optionsJson!));
const results = [];
for (let i = 0; i < Number(repeatText ?? 1); i++) {
  results.push(
    await captureMemory(
      { name: exportName!, fn },
      {
        benchmarkId: `memory > ${exportName}`,
        benchFile: modulePath!,
        projectRoot: projectRoot!,
        outDir: projectRoot!,
        medianNs: NaN,
      },
      options,
    ),
  );
}
// Exit explicitly: a workload's servers, pools and keep-alive sockets would keep the loop alive.
process.stdout.write(JSON.stringify(results), () => process.exit(0));
