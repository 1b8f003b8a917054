// One runner-style V8 profile of the workload in a fresh process (the profile tests' workload:
// `operation(scale)` gives `inner` `scale` times its work): timing warm-up and median, then
// perfgate's profiling pass (captureProfile), the attachment printed as JSON.
// argv: scale outDir projectRoot [durationMs] (default: the profile pass's own default)
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { captureProfile } from '../../src/profile/capture.js';
import { profileOptionsSchema } from '../../src/profile/options.js';

const [scaleText, outDir, projectRoot, durationText] = process.argv.slice(2);
const defaults = profileOptionsSchema.parse({});
const scale = Number(scaleText);
const { operation } = createRequire(import.meta.url)(
  join(projectRoot!, '__tests__/profile/workload.cjs'),
) as { operation: (scale: number) => number };
const times: number[] = [];
const start = performance.now();
while (performance.now() - start < 200) {
  const t0 = process.hrtime.bigint();
  operation(scale);
  times.push(Number(process.hrtime.bigint() - t0));
}
times.sort((a, b) => a - b);
const attachment = await captureProfile(
  { name: 'workload', fn: () => operation(scale) },
  {
    benchmarkId: `eval > scale ${scale}`,
    benchFile: join(projectRoot!, '__tests__/profile/workload.cjs'),
    projectRoot: projectRoot!,
    outDir: outDir!,
    medianNs: times[times.length >> 1]!,
  },
  durationText ? { ...defaults, duration: Number(durationText) } : defaults,
);
process.stdout.write(JSON.stringify(attachment));
