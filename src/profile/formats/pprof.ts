/** pprof protobuf (Go pprof, pprof-nodejs, …), gzipped or not, decoded with `pprof-format`. */
import { Profile } from 'pprof-format';
import { InputError } from '../../model/errors.js';
import { FieldCheck } from '../../model/fields.js';
import { normalizePath } from '../../text/paths.js';
import { TreeBuilder, ownerIndex, type ProfileTree } from '../tree.js';
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

/**
 * Index of the sample type to read: the one asked for (-2 when absent), else for a memory
 * profile (bytes, no time) the profile's default type or `inuse_space`, else -1 (CPU: time and
 * counts as found).
 */
export function chooseSampleType(
  types: ReadonlyArray<{ type: string; unit: string }>,
  defaultType: string,
  wanted?: string,
): number | undefined {
  if (wanted) {
    const index = types.findIndex((t) => t.type === wanted);
    return index >= 0 ? index : undefined;
  }
  if (types.some((t) => NS_PER_UNIT[t.unit] !== undefined)) return -1;
  const bytes = (name: string) => types.findIndex((t) => t.type === name && t.unit === 'bytes');
  if (defaultType && bytes(defaultType) >= 0) return bytes(defaultType);
  if (bytes('inuse_space') >= 0) return bytes('inuse_space');
  return types.findIndex((t) => t.unit === 'bytes');
}

/**
 * The decoded fields pprofToTree relies on, checked against profile.proto's rules: string
 * indices inside the string table, one value per sample type, finite values, known ids. The
 * refusal names the field (`sample[3].value`).
 */
export function checkPprof(profile: Profile, file: string): void {
  const check = new FieldCheck(file, 'pprof profile');
  const size = profile.stringTable.strings.length;
  const index = (value: number | bigint | undefined, path: string) => {
    if (value === undefined) return;
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0 || n >= size)
      check.fail(path, `a string index below ${size} (the string table's size)`, value);
  };
  const types = profile.sampleType.length;
  profile.sampleType.forEach((type, i) => {
    index(type.type, `sampleType[${i}].type`);
    index(type.unit, `sampleType[${i}].unit`);
  });
  index(profile.periodType?.type, 'periodType.type');
  index(profile.periodType?.unit, 'periodType.unit');
  index(profile.defaultSampleType, 'defaultSampleType');
  const functions = new Set<string>();
  profile.function.forEach((fn, i) => {
    index(fn.name, `function[${i}].name`);
    index(fn.systemName, `function[${i}].systemName`);
    index(fn.filename, `function[${i}].filename`);
    functions.add(String(fn.id));
  });
  const locations = new Set<string>();
  profile.location.forEach((location, i) => {
    if (Number(location.id) === 0) check.fail(`location[${i}].id`, 'a non-zero id', location.id);
    locations.add(String(location.id));
    location.line.forEach((line, j) => {
      if (!functions.has(String(line.functionId)))
        check.fail(`location[${i}].line[${j}].functionId`, 'the id of a function', line.functionId);
    });
  });
  profile.sample.forEach((sample, i) => {
    if (sample.value.length !== types)
      check.fail(
        `sample[${i}].value`,
        `${types} value${types === 1 ? '' : 's'} (one per sample type)`,
        sample.value.length,
      );
    sample.value.forEach((value, j) => {
      if (!Number.isFinite(Number(value)))
        check.fail(`sample[${i}].value[${j}]`, 'a number', value);
    });
    sample.locationId.forEach((id, j) => {
      if (!locations.has(String(id)))
        check.fail(`sample[${i}].locationId[${j}]`, 'the id of a location', id);
    });
  });
}

export function pprofToTree(
  profile: Profile,
  file: string,
  options: ReadOptions = {},
): ProfileTree {
  checkPprof(profile, file);
  const strings = profile.stringTable.strings;
  const str = (index: number | bigint) => strings[Number(index)] ?? '';
  const types = profile.sampleType.map((t) => ({ type: str(t.type), unit: str(t.unit) }));
  const chosen = chooseSampleType(types, str(profile.defaultSampleType ?? 0), options.sampleType);
  if (chosen === undefined)
    throw new InputError(
      `no sample type ${JSON.stringify(options.sampleType)} (the profile has ${types.map((t) => t.type).join(', ')})`,
      file,
    );
  // A memory profile (or an explicitly chosen type that is not time): the chosen values are the
  // counts, so bytes rank the sites (not object counts), and the tree says which type it holds.
  const valueIndex = chosen >= 0 && NS_PER_UNIT[types[chosen].unit] === undefined ? chosen : -1;
  const countIndex =
    valueIndex >= 0
      ? valueIndex
      : types.findIndex((t) => t.unit === 'count' || t.type === 'samples');
  const timeIndex =
    valueIndex >= 0
      ? -1
      : chosen >= 0
        ? chosen
        : types.findIndex((t) => NS_PER_UNIT[t.unit] !== undefined);
  const timeScale = timeIndex >= 0 ? NS_PER_UNIT[types[timeIndex].unit] : 1;
  const period = Number(profile.period) * (NS_PER_UNIT[str(profile.periodType?.unit ?? 0)] ?? 0);
  const builder = new TreeBuilder('pprof', {
    hasTime: timeIndex >= 0,
    sampled: true,
    intervalUs: period > 0 ? period / 1000 : 10_000,
  });
  if (valueIndex >= 0)
    builder.tree.sampleType = `${types[valueIndex].type}/${types[valueIndex].unit}`;
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
  // A location's lines are innermost first (inlined calls); stacks are caller first here. Each
  // frame keeps its source line (where it ran, or called the next frame from): hot lines.
  const locations = new Map<string, { frames: number[]; lines: number[] }>();
  for (const location of profile.location) {
    const frames: number[] = [];
    const lines: number[] = [];
    for (let i = location.line.length - 1; i >= 0; i -= 1) {
      lines.push(Number(location.line[i].line));
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
      lines.push(0);
    }
    locations.set(String(location.id), { frames, lines });
  }
  const frameList = builder.tree.frames;
  for (const sample of profile.sample) {
    const stack: number[] = [];
    const lines: number[] = [];
    for (let i = sample.locationId.length - 1; i >= 0; i -= 1) {
      const location = locations.get(String(sample.locationId[i]));
      if (!location)
        throw new InputError(`sample refers to unknown location ${sample.locationId[i]}`, file);
      pushAll(stack, location.frames);
      pushAll(lines, location.lines);
    }
    const time = timeIndex >= 0 ? Number(sample.value[timeIndex] ?? 0) * timeScale : 0;
    const count =
      countIndex >= 0
        ? Number(sample.value[countIndex] ?? 0)
        : period > 0
          ? time / period
          : Number(sample.value[0] ?? 0);
    builder.add(builder.path(stack), count, timeIndex >= 0 ? time : count);
    if (stack.length > 0) {
      const owner = ownerIndex(stack.map((f) => frameList[f]!));
      builder.addLine(builder.path(stack.slice(0, owner + 1)), lines[owner]!, count);
    }
  }
  return builder.tree;
}
