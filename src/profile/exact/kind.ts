/**
 * The calls kind: exact call counts and async-inclusive time of the project's own functions,
 * from wrapping the functions of project modules in the instrumented pass. Gated like query
 * counts (check `calls`); shown first in the profile's "Top function changes".
 */
import { register } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallsAttachment } from '../../model/calls.js';
import type { CallsComparison } from '../../model/comparison.js';
import type { AttachmentKind } from '../../model/kind.js';
import { captureCalls } from './capture.js';
import { compareExact, formatCalls } from './compare.js';
import type { ExactLoaderData } from './loader.js';
import { callsOptionsSchema } from './options.js';
import { installRecorder } from './recorder.js';

const options = callsOptionsSchema.prefault({});

/**
 * Installs the recorder and the module hooks that instrument the project's modules. In the
 * bundle this module is dist/child.js, so the hooks are its sibling dist/exact-loader.js. The
 * child runs with the project root as its working directory.
 */
async function installHooks(benchFile: string): Promise<void> {
  if (typeof register !== 'function') throw new Error(`module.register needs Node >= 20.6`);
  installRecorder();
  const data: ExactLoaderData = {
    projectRoot: process.cwd(),
    exclude: [benchFile],
    ownDir: dirname(fileURLToPath(import.meta.url)),
  };
  register(new URL('./exact-loader.js', import.meta.url), { data });
}

export const callsKind: AttachmentKind<'calls', typeof options, CallsAttachment, CallsComparison> =
  {
    name: 'calls',
    comparisonField: 'exactCalls',
    options,
    enabled: (o) => o.enabled,
    prepare: { what: 'the exact-calls hooks', run: (file) => installHooks(file) },
    capture: (task, context, o) => captureCalls(task, context, o),
    compare: (bases, head, o, context) => compareExact(bases, head, o, context),
    gate: {
      check: 'calls',
      noun: 'call-count',
      verdict: (result) => ({ regressed: result.regressed, reasons: result.reasons }),
    },
    cause: {
      // After the queries' N+1 (the query is more specific), before memory and sampled time.
      rank: 1.5,
      of(result) {
        const grown = result.changes.find((c) => c.head !== null && c.head - (c.base ?? 0) >= 0.5);
        if (!grown) return undefined;
        return `${grown.name} (${grown.file}:${grown.line}) called ${formatCalls(grown.base)} → ${formatCalls(grown.head)} times per op`;
      },
    },
    // Rendered inside the profile kind's "Top function changes" (project functions first).
    sections: () => [],
  };
