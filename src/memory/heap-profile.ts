/**
 * V8 sampling heap profiles (the `HeapProfiler.stopSampling` result, and `.heapprofile` files
 * from `node --heap-prof` or Chrome DevTools) → allocation sites. Pure.
 */
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AllocationSite } from '../model/memory.js';
import { normalizePath } from '../text/paths.js';

export interface SamplingHeapProfileNode {
  callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
    columnNumber?: number;
    scriptId?: string | number;
  };
  /** Bytes allocated by this frame itself (already scaled by V8 to estimate the total). */
  selfSize: number;
  id?: number;
  children: SamplingHeapProfileNode[];
}

export interface SamplingHeapProfile {
  head: SamplingHeapProfileNode;
  samples?: Array<{ size: number; nodeId: number; ordinal: number }>;
}

export interface SiteOptions {
  /** Paths inside it are written relative to it (POSIX separators). */
  projectRoot?: string;
  /** Frames for which this returns true (perfgate's own code) are never a site. */
  isOwnFile?: (absoluteFile: string) => boolean;
  /** Bytes are divided by this (operations in the profile) to give bytes per op. */
  operations?: number;
}

/** The file of a call frame's URL: a path for file:// URLs, the URL itself otherwise. */
export function frameFile(url: string): string {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return url;
    }
  }
  return url;
}

/**
 * The site's file as every perfgate section names it (src/text/paths.ts): repo-relative
 * inside the project, `node_modules/<name>/…` for a dependency wherever it is installed, bundler
 * hashes replaced, so that the same site has the same name on every machine.
 */
export function displayPath(file: string, projectRoot: string | undefined): string {
  return normalizePath(file, projectRoot);
}

/** A frame that can be a site: JS with a source file that is not Node's own or perfgate's. */
function isSiteFrame(file: string, options: SiteOptions): boolean {
  if (file === '' || file.startsWith('node:') || file.startsWith('internal/')) return false;
  if (isAbsolute(file) && options.isOwnFile?.(file)) return false;
  return true;
}

/** A file of the project itself (inside the root, not a dependency under node_modules). */
function isProjectFile(file: string, projectRoot: string | undefined): boolean {
  if (!projectRoot || !isAbsolute(file)) return false;
  const rel = relative(projectRoot, file);
  return (
    rel !== '' &&
    !rel.startsWith('..') &&
    !isAbsolute(rel) &&
    !/(^|[\\/])node_modules[\\/]/.test(rel)
  );
}

/**
 * Sums the profile's self sizes by allocation site. Each allocation is charged to the innermost
 * frame of the project's own code on its stack (what a reviewer can change); without one, to
 * the innermost frame of a dependency; allocations inside Node or V8 builtins go to their
 * caller. Allocations with no such frame (perfgate's loop, Node's event loop) are left out of
 * the sites. perfgate's own frames cut the stack: what called perfgate is not the task. Lines
 * are 1-based and point at the function's first line (V8's sampling heap profiler records
 * functions, not statements).
 */
export function allocationSites(
  profile: SamplingHeapProfile,
  options: SiteOptions = {},
): { sites: AllocationSite[]; totalBytes: number; attributedBytes: number } {
  const divisor = options.operations && options.operations > 0 ? options.operations : 1;
  const bySite = new Map<string, AllocationSite>();
  let totalBytes = 0;
  let attributedBytes = 0;
  const siteOf = (node: SamplingHeapProfileNode, file: string): AllocationSite => {
    const name = node.callFrame.functionName || '(anonymous)';
    const path = displayPath(file, options.projectRoot);
    const line = Math.max(0, (node.callFrame.lineNumber ?? -1) + 1);
    const key = `${name}\u0000${path}\u0000${line}`;
    const site = bySite.get(key) ?? { name, file: path, line, bytesPerOp: 0 };
    bySite.set(key, site);
    return site;
  };
  type Owners = { project: AllocationSite | null; any: AllocationSite | null };
  // Iterative walk: deep recursive code would overflow the stack with a recursive walk.
  const stack: Array<{ node: SamplingHeapProfileNode; owners: Owners }> = [
    { node: profile.head, owners: { project: null, any: null } },
  ];
  while (stack.length > 0) {
    const { node, owners: parent } = stack.pop()!;
    const file = frameFile(node.callFrame.url ?? '');
    let owners = parent;
    if (isAbsolute(file) && options.isOwnFile?.(file)) {
      owners = { project: null, any: null };
    } else if (isSiteFrame(file, options)) {
      const site = siteOf(node, file);
      owners = isProjectFile(file, options.projectRoot)
        ? { project: site, any: site }
        : { project: parent.project, any: site };
    }
    const self = Number(node.selfSize) || 0;
    totalBytes += self;
    const owner = owners.project ?? owners.any;
    if (owner && self > 0) {
      owner.bytesPerOp += self;
      attributedBytes += self;
    }
    for (const child of node.children ?? []) stack.push({ node: child, owners });
  }
  const sites = [...bySite.values()]
    .filter((site) => site.bytesPerOp > 0)
    .map((site) => ({ ...site, bytesPerOp: site.bytesPerOp / divisor }))
    .sort((a, b) => b.bytesPerOp - a.bytesPerOp || a.file.localeCompare(b.file) || a.line - b.line);
  return { sites, totalBytes, attributedBytes };
}

/** Throws a plain Error describing what is missing when `data` is not a sampling heap profile. */
export function assertSamplingHeapProfile(data: unknown): asserts data is SamplingHeapProfile {
  const head = (data as { head?: unknown } | null)?.head as
    { callFrame?: unknown; selfSize?: unknown; children?: unknown } | undefined;
  if (typeof data !== 'object' || data === null || typeof head !== 'object' || head === null) {
    throw new Error('not a V8 sampling heap profile (no "head" node)');
  }
  if (typeof head.callFrame !== 'object' || !Array.isArray(head.children)) {
    throw new Error('not a V8 sampling heap profile ("head" has no callFrame/children)');
  }
}
