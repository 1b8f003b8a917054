/** The profile kind (CPU profiles, "Top function changes") behind the AttachmentKind contract. */
import type { FunctionChange } from '../model/comparison.js';
import type { AttachmentKind } from '../model/kind.js';
import type { ProfileAttachment } from '../model/profile.js';
import { heading, own } from '../model/document.js';
import { clip, formatDelta } from '../text/format.js';
import { fileLine } from '../text/paths.js';
import { compareCalls } from './calls.js';
import { compareProfiles } from './compare.js';
import { profilePass } from './pass.js';
import { functionChangesSection } from './render.js';

export const profileKind: AttachmentKind<
  'profile',
  typeof profilePass.options,
  ProfileAttachment,
  FunctionChange[]
> = {
  ...profilePass,
  comparisonField: 'functions',
  compare: (bases, head) => compareProfiles(bases, head),
  /** Calls per op of the newest base against head, when the profiles count them. */
  extraFields(bases, head) {
    const calls = compareCalls(bases[0], head);
    return calls !== undefined && calls.length > 0 ? { callChanges: calls } : {};
  },
  cause: {
    rank: 3,
    of(functions) {
      // The list's order: the largest change beyond the profile-wide factor first (comparisons
      // written before `delta` existed: the largest growth).
      const grown = functions.some((f) => f.delta !== undefined)
        ? functions.find((f) => (f.delta ?? 0) > 0)
        : functions
            .filter((f) => f.head > f.base)
            .sort((x, y) => y.head - y.base - (x.head - x.base))[0];
      if (!grown) return undefined;
      // Function times are ms per op.
      return `${grown.name} (${fileLine(grown.file, grown.line)}) ${formatDelta(grown.head - grown.base, 'ms')} per call`;
    },
  },
  /**
   * One section per regressed benchmark (where its time went), and per benchmark whose project
   * functions' exact calls changed (the calls kind's comparison, shown first).
   */
  sections(comparison, { top }) {
    return comparison.benchmarks
      .filter((b) => b.status === 'regression' || (b.exactCalls?.changes.length ?? 0) > 0)
      .flatMap((b) => {
        const blocks = functionChangesSection(b, top);
        if (blocks.length === 0) return [];
        const title = heading(4, [own('Top function changes: '), clip(b.name)]);
        return [{ benchmark: b.id, blocks: [title, ...blocks] }];
      });
  },
};
