// The kinds' half of the bench child (bundled to dist/child-passes.js): what the enabled kinds
// install before the bench file loads (prepare) and their instrumented passes. dist/child.js
// imports it only when the job enables a kind (StartMessage.instrumented), so a timed fork loads
// no kind code (the passes and their dependencies, zod and acorn, are most of the child's code).
import type { Config } from '../config/schema.js';
import { kindPasses, optionsOf } from '../kinds/passes.js';
import type { ChildMessage } from './protocol.js';
import { describeError, type InstrumentedPass } from './run-task.js';

/** The passes of the kinds the config enables, in registry order (profile, queries, memory). */
export function instrumentedPasses(config: Config): InstrumentedPass[] {
  return kindPasses().flatMap((kind) => {
    const options = optionsOf(config, kind);
    if (!kind.enabled(options)) return [];
    const run: InstrumentedPass['run'] = async (task, ctx) => {
      const attachment = await kind.capture(task, ctx, options);
      return attachment === undefined ? undefined : { [kind.name]: attachment };
    };
    return [{ name: kind.name, run }];
  });
}

/**
 * What the enabled kinds install before the bench file loads (the queries' driver hooks, the
 * exact-calls module hooks). One that fails is a warning: only its attachments are lost.
 */
export async function prepareKinds(
  file: string,
  config: Config,
  send: (message: ChildMessage) => Promise<void>,
): Promise<void> {
  for (const kind of kindPasses()) {
    const options = optionsOf(config, kind);
    if (!kind.prepare || !kind.enabled(options)) continue;
    try {
      await kind.prepare.run(file, options);
    } catch (error) {
      await send({
        type: 'warning',
        message: `${kind.prepare.what} could not be installed: ${describeError(error)}`,
      });
    }
  }
}
