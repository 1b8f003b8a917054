/**
 * The registry of attachment kinds. Every stage loops over `kinds()` and calls the
 * AttachmentKind contract (src/model/kind.ts): the config schema composes their options, the
 * bench child runs their passes, compare() their comparisons and gates, the reports their
 * sections. Adding a kind: write its adapter in its own folder and list it here
 * (docs/architecture.md, "How to add a kind").
 */
import type { BenchmarkComparison } from '../model/comparison.js';
import type { AttachmentKind } from '../model/kind.js';
import { registerAttachmentSchema, type Benchmark } from '../model/run.js';
import { memoryKind } from '../memory/kind.js';
import { callsKind } from '../profile/exact/kind.js';
import { profileKind } from '../profile/kind.js';
import { queriesKind } from '../queries/kind.js';
import { addPass, optionsOf } from './passes.js';

export { optionsOf } from './passes.js';

/** The kinds perfgate ships, in the order their passes run and their sections appear. */
const BUILT_IN = [profileKind, callsKind, queriesKind, memoryKind] as const;

/** Any kind, its own types erased (the contract's methods accept it). */
export type AnyKind = AttachmentKind;

const registered: AnyKind[] = [...BUILT_IN];
// A listed kind's attachment field joins the stored Run's schema like a registered kind's.
for (const kind of registered)
  if (kind.attachment) registerAttachmentSchema(kind.name, kind.attachment);

/** The registered kinds, in order. */
export function kinds(): readonly AnyKind[] {
  return registered;
}

/**
 * Registers one more kind after the built-in ones; returns a function that removes it. Its
 * `attachment` schema joins the stored Run's schema. The config schema is composed of the
 * built-in kinds only: a kind registered at run time gets its defaults
 * (`options.parse(undefined)`) unless the options passed to compare() carry its key.
 */
export function registerKind(kind: AnyKind): () => void {
  if (registered.some((k) => k.name === kind.name || k.comparisonField === kind.comparisonField))
    throw new Error(`attachment kind "${kind.name}" is already registered`);
  const unregisterSchema = kind.attachment
    ? registerAttachmentSchema(kind.name, kind.attachment)
    : undefined;
  registered.push(kind);
  const removePass = addPass(kind);
  return () => {
    const index = registered.indexOf(kind);
    if (index >= 0) registered.splice(index, 1);
    removePass();
    unregisterSchema?.();
  };
}

/** The config fields of the built-in kinds: `{ profile: schema, queries: schema, … }`. */
export const kindOptionSchemas = Object.fromEntries(
  BUILT_IN.map((kind) => [kind.name, kind.options]),
) as { [K in (typeof BUILT_IN)[number] as K['name']]: K['options'] };

/** The checks that can gate a merge: time, then each gating kind's. */
export const CHECKS: readonly string[] = [
  'time',
  ...BUILT_IN.flatMap((kind) => (kind.gate ? [kind.gate.check] : [])),
];

/** The kind's attachment on a benchmark of a Run. */
export function attachmentOf(benchmark: Benchmark, kind: AnyKind): unknown {
  return (benchmark as Record<string, unknown>)[kind.name];
}

/** The kind's comparison on a benchmark of a Comparison. */
export function resultOf(benchmark: BenchmarkComparison, kind: AnyKind): unknown {
  return (benchmark as unknown as Record<string, unknown>)[kind.comparisonField];
}

/** Why the kind gating `check` regressed on this benchmark (no benchmark id); [] when it did not. */
export function checkReasons(benchmark: BenchmarkComparison, check: string): string[] {
  const kind = registered.find((k) => k.gate?.check === check);
  const result = kind ? resultOf(benchmark, kind) : undefined;
  return kind?.gate && result !== undefined ? kind.gate.verdict(result).reasons : [];
}

/** The config with every kind's pass switched off (every kind's options carry `enabled`). */
export function withoutPasses<C extends object>(config: C): C {
  const off: Record<string, unknown> = {};
  for (const kind of registered) {
    off[kind.name] = { ...(optionsOf(config, kind) as object), enabled: false };
  }
  return { ...config, ...off };
}

/** Whether any kind attached something to this benchmark. */
export function hasAttachments(benchmark: Benchmark): boolean {
  return registered.some((kind) => attachmentOf(benchmark, kind) !== undefined);
}
