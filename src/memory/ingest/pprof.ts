/**
 * Go heap and allocs profiles (pprof protobuf, `pprof.Lookup("heap"/"allocs").WriteTo`,
 * `go test -memprofile`) → the memory attachment. The sample type is chosen explicitly and said
 * (bytes by default: the profile's default type, `alloc_space` for allocs, else `inuse_space`
 * for heap), sites are charged to the innermost project frame like every other site. A single
 * snapshot shows no growth: retained growth and leaks need perfgate's own rounds. Pure.
 */
import type { Profile } from 'pprof-format';
import type { AllocationSite, MemoryAttachment } from '../../model/memory.js';
import { summarize } from '../../profile/analysis.js';
import { pprofToTree } from '../../profile/formats/pprof.js';

export interface PprofMemoryOptions {
  projectRoot?: string;
  operations?: number;
  top?: number;
  sampleType?: string;
}

/** True when the profile holds memory (bytes) samples and no time. */
export function isMemoryPprof(profile: Profile): boolean {
  const strings = profile.stringTable.strings;
  const units = profile.sampleType.map((t) => strings[Number(t.unit)]);
  return units.includes('bytes') && !units.some((u) => /seconds$/.test(u ?? ''));
}

export function parsePprofMemory(
  profile: Profile,
  file: string,
  options: PprofMemoryOptions = {},
): MemoryAttachment {
  const tree = pprofToTree(profile, file, {
    ...(options.projectRoot ? { projectRoot: options.projectRoot } : {}),
    ...(options.sampleType ? { sampleType: options.sampleType } : {}),
  });
  const sampleType = tree.sampleType ?? 'bytes';
  if (!sampleType.endsWith('/bytes'))
    throw new Error(`sample type ${sampleType} is not in bytes (use alloc_space or inuse_space)`);
  const operations = options.operations && options.operations > 0 ? options.operations : 1;
  const summary = summarize(tree);
  const topAllocations: AllocationSite[] = summary.functions
    .filter((f) => f.ownSamples > 0)
    .sort((a, b) => b.ownSamples - a.ownSamples || a.file.localeCompare(b.file))
    .slice(0, options.top ?? 10)
    .map((f) => ({
      name: f.name,
      file: f.file,
      line: f.line,
      bytesPerOp: f.ownSamples / operations,
    }));
  const type = sampleType.split('/')[0]!;
  const inuse = type.startsWith('inuse');
  return {
    // inuse_space is what is live at the last GC, not what an op allocates.
    allocBytesPerOp: inuse ? 0 : summary.samples / operations,
    retainedBytesPerOp: 0,
    leak: null,
    peakRss: 0,
    peakHeap: inuse ? summary.samples : 0,
    topAllocations,
    method: `go pprof (${type})`,
  };
}
