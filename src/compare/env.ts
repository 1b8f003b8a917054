/** Environment differences between the base and head runs. Pure. */
import type { EnvDifference } from '../model/comparison.js';
import type { Env } from '../model/run.js';

/** Fields that change what a timing means: CPU model, core count, Node major version, OS. */
export function envDifferences(base: Env, head: Env): EnvDifference[] {
  const differences: EnvDifference[] = [];
  if (base.os !== head.os) differences.push({ field: 'os', base: base.os, head: head.os });
  if (base.cpu !== head.cpu) differences.push({ field: 'cpu', base: base.cpu, head: head.cpu });
  if (base.cores !== head.cores) {
    differences.push({ field: 'cores', base: String(base.cores), head: String(head.cores) });
  }
  if (nodeMajor(base.node) !== nodeMajor(head.node)) {
    differences.push({ field: 'node', base: base.node, head: head.node });
  }
  return differences;
}

/** "v20.11.1" / "20.11.1" → "20"; anything unparseable is kept whole. */
export function nodeMajor(version: string): string {
  const match = /^v?(\d+)/.exec(version.trim());
  return match ? match[1] : version;
}
