/**
 * The import graph between the folders of src/ (a file directly under src/ is its own node),
 * read from the sources: every static `from '…'`, side-effect `import '…'` and dynamic
 * `import('…')` of a relative path, type-only imports included (they are dependencies too).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export type FolderGraph = Map<string, Set<string>>;

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(?:ts|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `src/profile/formats/v8.ts` → `profile`; `src/cli.ts` → `cli.ts`. */
function folderOf(srcDir: string, file: string): string {
  return relative(srcDir, file).split(sep)[0]!;
}

export function folderGraph(srcDir: string): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const file of sourceFiles(srcDir)) {
    const from = folderOf(srcDir, file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = resolve(dirname(file), match[2]!);
      if (relative(srcDir, target).startsWith('..')) continue; // outside src/ (package.json…)
      const to = folderOf(srcDir, target).replace(/\.js$/, '.ts');
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** One cycle of the graph as a path `a → b → … → a`, or undefined when it is acyclic. */
export function findCycle(graph: FolderGraph): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}
