/**
 * speedscope JSON (https://www.speedscope.app/file-format-schema.json): `sampled` profiles
 * (stacks of frame indices + weights) and `evented` profiles (open/close events). All profiles
 * of the file (threads) are merged into one tree.
 */
import { InputError } from '../../model/errors.js';
import { FieldCheck } from '../../model/fields.js';
import { normalizePath } from '../../text/paths.js';
import { TreeBuilder, type ProfileTree } from '../tree.js';
import type { ReadOptions } from './options.js';

interface SpeedscopeFrame {
  name: string;
  file?: string;
  line?: number;
}
interface SampledProfile {
  type: 'sampled';
  unit: string;
  samples: number[][];
  weights: number[];
}
interface EventedProfile {
  type: 'evented';
  unit: string;
  startValue: number;
  endValue: number;
  events: Array<{ type: 'O' | 'C'; at: number; frame: number }>;
}
export interface SpeedscopeFile {
  $schema?: string;
  shared: { frames: SpeedscopeFrame[] };
  profiles: Array<SampledProfile | EventedProfile>;
}

const UNIT_NS: Record<string, number> = {
  nanoseconds: 1,
  microseconds: 1e3,
  milliseconds: 1e6,
  seconds: 1e9,
};
/** Evented (tracing) profiles have no samples: the noise test counts 1 pseudo-sample per ms. */
const PSEUDO_INTERVAL_US = 1000;

export function looksLikeSpeedscope(data: unknown): data is SpeedscopeFile {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return (
    (typeof d.$schema === 'string' && d.$schema.includes('speedscope')) ||
    (Array.isArray(d.profiles) && typeof d.shared === 'object' && d.shared !== null)
  );
}

/** Every field speedscopeToTree reads, checked by type (the refusal names the field). */
export function checkSpeedscope(value: unknown, file: string): SpeedscopeFile {
  const check = new FieldCheck(file, 'speedscope file');
  const data = check.object(value, '');
  const frames = check.array(check.object(data.shared, 'shared').frames, 'shared.frames');
  for (let i = 0; i < frames.length; i += 1) {
    const frame = check.object(frames[i], `shared.frames[${i}]`);
    check.string(frame.name, `shared.frames[${i}].name`);
    check.optionalString(frame.file, `shared.frames[${i}].file`);
    check.optionalNumber(frame.line, `shared.frames[${i}].line`);
    check.optionalNumber(frame.col, `shared.frames[${i}].col`);
  }
  const profiles = check.array(data.profiles, 'profiles');
  for (let p = 0; p < profiles.length; p += 1) {
    const at = `profiles[${p}]`;
    const profile = check.object(profiles[p], at);
    const type = check.oneOf(profile.type, ['sampled', 'evented'], `${at}.type`);
    check.string(profile.unit, `${at}.unit`);
    if (type === 'sampled') {
      const samples = check.array(profile.samples, `${at}.samples`);
      for (let i = 0; i < samples.length; i += 1) check.integers(samples[i], `${at}.samples[${i}]`);
      check.numbers(profile.weights, `${at}.weights`);
    } else {
      check.number(profile.startValue, `${at}.startValue`);
      check.number(profile.endValue, `${at}.endValue`);
      const events = check.array(profile.events, `${at}.events`);
      for (let i = 0; i < events.length; i += 1) {
        const event = check.object(events[i], `${at}.events[${i}]`);
        check.oneOf(event.type, ['O', 'C'], `${at}.events[${i}].type`);
        check.number(event.at, `${at}.events[${i}].at`);
        check.integer(event.frame, `${at}.events[${i}].frame`);
      }
    }
  }
  return value as SpeedscopeFile;
}

export function speedscopeToTree(
  value: unknown,
  file: string,
  options: ReadOptions = {},
): ProfileTree {
  const data = checkSpeedscope(value, file);
  const frames = data.shared.frames;
  const units = new Set(data.profiles.map((p) => p.unit));
  const scale = units.size === 1 ? UNIT_NS[[...units][0]] : undefined;
  const sampled = data.profiles.every((p) => p.type === 'sampled');
  const builder = new TreeBuilder('speedscope', {
    hasTime: scale !== undefined,
    sampled,
    intervalUs: PSEUDO_INTERVAL_US,
  });
  const ids = frames.map((f, i) => {
    if (typeof f?.name !== 'string') throw new InputError(`shared.frames[${i}] has no name`, file);
    if (f.file !== undefined && typeof f.file !== 'string') {
      throw new InputError(
        `shared.frames[${i}].file: expected a string, got ${typeof f.file}`,
        file,
      );
    }
    return builder.frame({
      name: f.name || '(anonymous)',
      file: normalizePath(f.file ?? '', options.projectRoot),
      line: typeof f.line === 'number' && f.line > 0 ? f.line : 0,
    });
  });
  const frameId = (index: number, where: string) => {
    const id = ids[index];
    if (id === undefined) throw new InputError(`${where} refers to unknown frame ${index}`, file);
    return id;
  };
  let sampleCount = 0;
  let sampledTime = 0;
  data.profiles.forEach((profile, p) => {
    if (profile.type === 'sampled') {
      const { samples, weights } = profile;
      if (!Array.isArray(samples) || !Array.isArray(weights) || samples.length !== weights.length)
        throw new InputError(`profiles[${p}]: samples and weights differ in length`, file);
      for (let i = 0; i < samples.length; i += 1) {
        const node = builder.path(
          samples[i].map((f) => frameId(f, `profiles[${p}].samples[${i}]`)),
        );
        const w = weights[i];
        builder.add(node, sampled ? 1 : 0, scale ? w * scale : w);
        sampleCount += 1;
        sampledTime += scale ? w * scale : 0;
      }
    } else if (profile.type === 'evented') {
      // Replay open/close events; time between two events goes to the top of the stack.
      const stack: number[] = [0];
      let last = profile.startValue;
      for (const [i, event] of profile.events.entries()) {
        const dt = event.at - last;
        if (dt < 0) throw new InputError(`profiles[${p}].events[${i}] goes back in time`, file);
        const top = stack[stack.length - 1];
        if (top > 0 && dt > 0) {
          const t = scale ? dt * scale : dt;
          builder.add(top, sampled ? 0 : t / (PSEUDO_INTERVAL_US * 1000), t);
        }
        last = event.at;
        if (event.type === 'O') {
          stack.push(builder.child(top, frameId(event.frame, `profiles[${p}].events[${i}]`)));
        } else if (event.type === 'C') {
          if (stack.length <= 1)
            throw new InputError(
              `profiles[${p}].events[${i}] closes a frame that is not open`,
              file,
            );
          stack.pop();
        } else throw new InputError(`profiles[${p}].events[${i}] has unknown type`, file);
      }
    } else {
      throw new InputError(
        `profiles[${p}] has unknown type ${JSON.stringify((profile as { type?: unknown }).type)}`,
        file,
      );
    }
  });
  const tree = builder.tree;
  if (sampled && sampleCount > 0 && sampledTime > 0)
    tree.intervalUs = sampledTime / sampleCount / 1000;
  return tree;
}
