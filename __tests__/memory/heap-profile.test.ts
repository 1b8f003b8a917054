import { describe, expect, it } from 'vitest';
import { allocationSites, type SamplingHeapProfileNode } from '../../src/memory/heap-profile.js';

function node(
  functionName: string,
  url: string,
  lineNumber: number,
  selfSize: number,
  children: SamplingHeapProfileNode[] = [],
): SamplingHeapProfileNode {
  return { callFrame: { functionName, url, lineNumber }, selfSize, children };
}

const root = '/repo';

describe('allocationSites', () => {
  it('charges dependency and builtin allocations to the innermost project frame', () => {
    const profile = {
      head: node('(root)', '', -1, 0, [
        node('runOnce', 'file:///repo/node_modules/perfgate/dist/child.js', 10, 100, [
          node('getUsers', 'file:///repo/src/users.ts', 19, 1000, [
            node('query', 'file:///repo/node_modules/pg/lib/client.js', 40, 5000, [
              node('parse', 'node:internal/url', 3, 700),
            ]),
          ]),
        ]),
        // Only dependency frames: the dependency's own function is the site.
        node('tick', 'file:///repo/node_modules/pg/lib/timer.js', 5, 300),
        // A hoisted dependency outside the project root: named from node_modules/ on.
        node('decode', 'file:///mono/node_modules/pg/lib/codec.js', 1, 200),
        node('(garbage collector)', '', -1, 50),
      ]),
    };
    const { sites, totalBytes, attributedBytes } = allocationSites(profile, {
      projectRoot: root,
      isOwnFile: (file) => file.startsWith('/repo/node_modules/perfgate/'),
      operations: 10,
    });
    expect(sites).toEqual([
      { name: 'getUsers', file: 'src/users.ts', line: 20, bytesPerOp: 670 },
      { name: 'tick', file: 'node_modules/pg/lib/timer.js', line: 6, bytesPerOp: 30 },
      { name: 'decode', file: 'node_modules/pg/lib/codec.js', line: 2, bytesPerOp: 20 },
    ]);
    expect(totalBytes).toBe(7350);
    expect(attributedBytes).toBe(7200);
  });
});
