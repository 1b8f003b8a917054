/**
 * Collapsed ("folded") stacks: `root;caller;leaf 42` per line — flamegraph.pl's input,
 * stackcollapse-perf.pl output, async-profiler `collapsed`, py-spy `--format raw`.
 */
import { InputError } from '../../model/errors.js';
import { normalizePath } from '../../text/paths.js';
import { TreeBuilder, type Frame, type ProfileTree } from '../tree.js';
import type { ReadOptions } from './options.js';

const LINE = /^(.*?)\s+(\d+(?:\.\d+)?)$/;
/** py-spy: `name (file:line)`. */
const WITH_LOCATION = /^(.*) \(([^()]*):(\d+)\)$/;
/** async-profiler / stackcollapse annotations: `_[j]` JIT, `_[i]` inlined, `_[k]` kernel, `_[0]`… */
const ANNOTATION = /_\[[a-z0-9]\]$/;

export function looksLikeCollapsed(text: string): boolean {
  let lines = 0;
  for (const raw of text.split('\n', 200)) {
    const line = raw.trimEnd();
    if (!line || line.startsWith('#')) continue;
    if (!LINE.test(line)) return false;
    lines += 1;
  }
  return lines > 0;
}

export function parseCollapsedFrame(text: string, projectRoot?: string): Frame {
  const located = WITH_LOCATION.exec(text);
  if (located)
    return {
      name: located[1] || '(anonymous)',
      file: normalizePath(located[2], projectRoot),
      line: Number(located[3]),
    };
  return { name: text.replace(ANNOTATION, '') || '(anonymous)', file: '', line: 0 };
}

export function collapsedToTree(
  text: string,
  file: string,
  options: ReadOptions = {},
): ProfileTree {
  const builder = new TreeBuilder('collapsed', { hasTime: false, sampled: true, intervalUs: 1000 });
  const frames = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i].trimEnd();
    if (!line.trim() || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) throw new InputError(`line ${i + 1}: expected "frame;frame;… count"`, file);
    const count = Number(match[2]);
    const stack = match[1] ? match[1].split(';') : [];
    let node = 0;
    for (const text of stack) {
      let index = frames.get(text);
      if (index === undefined) {
        index = builder.frame(parseCollapsedFrame(text, options.projectRoot));
        frames.set(text, index);
      }
      node = builder.child(node, index);
    }
    builder.add(node, count, count);
  }
  return builder.tree;
}
