/**
 * The child half of the registry: the kinds' passes (KindPass, each kind's pass.ts), in the
 * order they run. The bench child (src/runner/child.ts, run-task.ts) imports this file only, so
 * dist/child.js bundles no compare or report code; src/kinds/index.ts lists the whole kinds.
 */
import type { KindPass } from '../model/kind.js';
import { memoryPass } from '../memory/pass.js';
import { callsPass } from '../profile/exact/pass.js';
import { profilePass } from '../profile/pass.js';
import { queriesPass } from '../queries/pass.js';

/** The built-in kinds' passes, in the order their passes run (the registry's order). */
export const BUILT_IN_PASSES = [profilePass, callsPass, queriesPass, memoryPass] as const;

/** Any kind's pass, its own types erased. */
export type AnyPass = KindPass;

const registered: AnyPass[] = [...BUILT_IN_PASSES];

/** The registered kinds' passes, in order. */
export function kindPasses(): readonly AnyPass[] {
  return registered;
}

/** Adds the pass of a kind registered at run time (registerKind); returns its removal. */
export function addPass(pass: AnyPass): () => void {
  registered.push(pass);
  return () => {
    const index = registered.indexOf(pass);
    if (index >= 0) registered.splice(index, 1);
  };
}

/** The kind's options in a config (or compare options); its defaults when absent. */
export function optionsOf(config: object, kind: AnyPass): unknown {
  const value = (config as Record<string, unknown>)[kind.name];
  return value === undefined ? kind.options.parse(undefined) : value;
}

/** Whether the config enables any registered kind (its prepare and pass run in the child). */
export function anyKindEnabled(config: object): boolean {
  return registered.some((kind) => kind.enabled(optionsOf(config, kind)));
}
