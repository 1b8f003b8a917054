/** pprof protobuf (Go pprof, pprof-nodejs, …), gzipped or not, decoded with `pprof-format`. */
import { Profile } from 'pprof-format';
import { InputError } from '../../model/errors.js';
import { normalizePath } from '../../text/paths.js';
import { TreeBuilder, type ProfileTree } from '../tree.js';
import type { ReadOptions } from './options.js';
import { pushAll } from '../../model/arrays.js';

/** Decodes a pprof message; undefined when the bytes are not one (protobuf has no magic number). */
export function decodePprof(bytes: Uint8Array): Profile | undefined {
  try {
    const profile = Profile.decode(bytes);
    const strings = profile.stringTable.strings;
    if (profile.sampleType.length === 0 || strings.length === 0 || strings[0] !== '')
      return undefined;
    for (const type of profile.sampleType)
      if (Number(type.type) >= strings.length || Number(type.unit) >= strings.length)
        return undefined;
    return profile;
  } catch {
    return undefined;
  }
}

const NS_PER_UNIT: Record<string, number> = {
  nanoseconds: 1,
  microseconds: 1e3,
  milliseconds: 1e6,
  seconds: 1e9,
};

export function pprofToTree(
  profile: Profile,
  file: string,
  options: ReadOptions = {},
): ProfileTree {
  const strings = profile.stringTable.strings;
  const str = (index: number | bigint) => strings[Number(index)] ?? '';
  const types = profile.sampleType.map((t) => ({ type: str(t.type), unit: str(t.unit) }));
  const countIndex = types.findIndex((t) => t.unit === 'count' || t.type === 'samples');
  const timeIndex = types.findIndex((t) => NS_PER_UNIT[t.unit] !== undefined);
  const timeScale = timeIndex >= 0 ? NS_PER_UNIT[types[timeIndex].unit] : 1;
  const period = Number(profile.period) * (NS_PER_UNIT[str(profile.periodType?.unit ?? 0)] ?? 0);
  const builder = new TreeBuilder('pprof', {
    hasTime: timeIndex >= 0,
    sampled: true,
    intervalUs: period > 0 ? period / 1000 : 10_000,
  });
  const functions = new Map<string, number>();
  for (const fn of profile.function) {
    functions.set(
      String(fn.id),
      builder.frame({
        name: str(fn.name) || str(fn.systemName) || '(anonymous)',
        file: normalizePath(str(fn.filename), options.projectRoot),
        line: Number(fn.startLine) > 0 ? Number(fn.startLine) : 0,
      }),
    );
  }
  // A location's lines are innermost first (inlined calls); stacks are caller first here.
  const locations = new Map<string, number[]>();
  for (const location of profile.location) {
    const frames: number[] = [];
    for (let i = location.line.length - 1; i >= 0; i -= 1) {
      const frame = functions.get(String(location.line[i].functionId));
      if (frame === undefined)
        throw new InputError(
          `location ${location.id} refers to unknown function ${location.line[i].functionId}`,
          file,
        );
      frames.push(frame);
    }
    if (frames.length === 0) {
      const address = `0x${BigInt(location.address).toString(16)}`;
      frames.push(builder.frame({ name: address, file: '', line: 0 }));
    }
    locations.set(String(location.id), frames);
  }
  for (const sample of profile.sample) {
    const stack: number[] = [];
    for (let i = sample.locationId.length - 1; i >= 0; i -= 1) {
      const frames = locations.get(String(sample.locationId[i]));
      if (!frames)
        throw new InputError(`sample refers to unknown location ${sample.locationId[i]}`, file);
      pushAll(stack, frames);
    }
    const time = timeIndex >= 0 ? Number(sample.value[timeIndex] ?? 0) * timeScale : 0;
    const count =
      countIndex >= 0
        ? Number(sample.value[countIndex] ?? 0)
        : period > 0
          ? time / period
          : Number(sample.value[0] ?? 0);
    builder.add(builder.path(stack), count, timeIndex >= 0 ? time : count);
  }
  return builder.tree;
}
