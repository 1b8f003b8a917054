/**
 * `perf script` text output (Linux perf, recorded with `-g`), collapsed on the fly:
 *
 *   comm  pid [cpu] time: period event:
 *   \taddr symbol+0xoff (dso)      ← leaf first
 *   \taddr caller+0xoff (dso)
 *   (blank line)
 */
import { InputError } from '../../model/errors.js';
import { normalizePath } from '../../text/paths.js';
import { TreeBuilder, blockOf, ownerIndex, type ProfileTree } from '../tree.js';
import type { ReadOptions } from './options.js';

const FRAME = /^\s+([0-9a-f]+)\s+(.*?)\s+\(([^()]*)\)$/;
/** `time: period event:` at the end of the header; period is optional (`-F` without it). */
const HEADER_TAIL = /\d+\.\d+:\s+(?:(\d+)\s+)?([\w.:/-]+?):?\s*(?:$|\s)/;
const CLOCK_EVENTS = /^(cpu-clock|task-clock)/;
/**
 * `perf script -F +srcline`: an indented line under a frame is its source line (`  app.c:19`,
 * `  ??:0`, `  [kernel.kallsyms][ffffffff815eda66]` without a line number).
 */
const SRCLINE = /^\s+\S/;
const SRCLINE_NUMBER = /:(\d+)\s*$/;

export function looksLikePerfScript(text: string): boolean {
  const head = text.slice(0, 64 * 1024).split('\n');
  let headers = 0;
  let frames = 0;
  for (const line of head) {
    if (FRAME.test(line)) frames += 1;
    else if (line && !/^\s/.test(line) && HEADER_TAIL.test(line)) headers += 1;
  }
  return headers > 0 && frames > 0;
}

function symbolName(symbol: string, dso: string): string {
  const name = symbol.replace(/\+0x[0-9a-f]+$/, '');
  if (!name || name === '[unknown]') return `[unknown] (${dso.split('/').pop()})`;
  return name;
}

export function perfScriptToTree(
  text: string,
  file: string,
  options: ReadOptions = {},
): ProfileTree {
  const builder = new TreeBuilder('perf', { hasTime: true, sampled: true, intervalUs: 1000 });
  let stack: number[] = [];
  /** Source line of each frame of `stack` (0: unknown), when the script has srclines. */
  let frameLines: number[] = [];
  let period = 1;
  let clock = false;
  let inSample = false;
  let samples = 0;
  let timed = true;
  // The node of each sample, in time order (perf script prints them so): their blocks.
  const sampleNodes: number[] = [];
  const flush = () => {
    if (!inSample) return;
    stack.reverse();
    frameLines.reverse();
    const node = builder.path(stack);
    builder.add(node, 1, clock ? period : 1);
    sampleNodes.push(node);
    if (stack.length > 0 && frameLines.some((l) => l > 0)) {
      // Hot lines: the line of the frame the sample is charged to (see ownerIndex).
      const owner = ownerIndex(stack.map((f) => builder.tree.frames[f]!));
      builder.addLine(builder.path(stack.slice(0, owner + 1)), frameLines[owner] ?? 0, 1);
    }
    samples += 1;
    if (!clock) timed = false;
    stack = [];
    frameLines = [];
    inSample = false;
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    if (!line.trim()) {
      flush();
      continue;
    }
    if (line.startsWith('#')) continue;
    const frame = FRAME.exec(line);
    if (frame) {
      if (!inSample)
        throw new InputError(`line ${i + 1}: stack frame without a sample header`, file);
      const dso = frame[3];
      const isKernel = dso.startsWith('[kernel');
      stack.push(
        builder.frame({
          name: symbolName(frame[2], dso),
          file: isKernel ? dso : normalizePath(dso, options.projectRoot),
          line: 0,
        }),
      );
      frameLines.push(0);
      continue;
    }
    if (inSample && stack.length > 0 && SRCLINE.test(line)) {
      frameLines[frameLines.length - 1] = Number(SRCLINE_NUMBER.exec(line)?.[1] ?? 0);
      continue;
    }
    flush();
    const header = HEADER_TAIL.exec(line);
    if (!header) throw new InputError(`line ${i + 1}: not a perf script sample header`, file);
    period = header[1] ? Number(header[1]) : 1;
    clock = Boolean(header[1]) && CLOCK_EVENTS.test(header[2]);
    inSample = true;
  }
  flush();
  sampleNodes.forEach((node, i) => builder.addBlock(node, blockOf(i, sampleNodes.length), 1));
  const tree = builder.tree;
  if (!timed) {
    // Not a clock event (cycles, instructions): weights are counts, not time.
    tree.hasTime = false;
    tree.nodeTime = tree.nodeSamples.slice();
  } else if (samples > 0) {
    const total = tree.nodeTime.reduce((a, b) => a + b, 0);
    tree.intervalUs = total / samples / 1000;
  }
  return tree;
}
