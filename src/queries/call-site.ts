/** The call site in user code of a recorded call: parsed from a V8 stack after the pass. Pure. */
import { isAbsolute, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallSite } from '../model/queries.js';
import { normalizePath } from '../text/paths.js';

export interface StackFrame {
  file: string;
  line: number;
  column: number;
  function?: string;
}

// "    at fn (file:///a/b.ts:12:5)", "    at /a/b.js:3:1", "    at async fn (/a/b.js:3:1)"
const FRAME = /^\s*at (?:async )?(?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    const match = FRAME.exec(line);
    if (!match) continue;
    let file = match[2]!;
    if (file.startsWith('file://')) {
      try {
        file = fileURLToPath(file);
      } catch {
        // keep the URL
      }
    }
    const name = match[1]?.trim();
    frames.push({
      file,
      line: Number(match[3]),
      column: Number(match[4]),
      ...(name ? { function: name.replace(/^new /, '') } : {}),
    });
  }
  return frames;
}

/**
 * First frame outside node_modules, Node internals and perfgate itself (`ownPaths`, prefixes),
 * with the file made relative to the project root when it lies inside it.
 */
export function userCallSite(
  stack: string | undefined,
  projectRoot: string,
  ownPaths: readonly string[],
): CallSite | undefined {
  if (!stack) return undefined;
  for (const frame of parseStack(stack)) {
    const file = frame.file;
    if (!isAbsolute(file)) continue; // node:internal, <anonymous>, evalmachine
    if (file.includes(`${sep}node_modules${sep}`)) continue;
    if (
      ownPaths.some((own) => file === own || file.startsWith(own.endsWith(sep) ? own : own + sep))
    )
      continue;
    return {
      // Named as in every perfgate section: repo-relative inside the project.
      file: normalizePath(file, projectRoot),
      line: frame.line,
      column: frame.column,
      ...(frame.function ? { function: frame.function } : {}),
    };
  }
  return undefined;
}
