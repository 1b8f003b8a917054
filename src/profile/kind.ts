/** The profile kind (CPU profiles, "Top function changes") behind the AttachmentKind contract. */
import type { FunctionChange } from '../model/comparison.js';
import type { AttachmentKind } from '../model/kind.js';
import type { ProfileAttachment } from '../model/profile.js';
import { clip, escapeMarkdown } from '../text/format.js';
import { captureProfile } from './capture.js';
import { compareProfiles } from './compare.js';
import { profileOptionsSchema } from './options.js';
import { functionChangesMarkdown, functionChangesText } from './render.js';

const options = profileOptionsSchema.prefault({});

export const profileKind: AttachmentKind<
  'profile',
  typeof options,
  ProfileAttachment,
  FunctionChange[]
> = {
  name: 'profile',
  comparisonField: 'functions',
  options,
  enabled: (o) => o.enabled,
  capture: (task, context, o) => captureProfile(task, context, o),
  compare: (bases, head) => compareProfiles(bases, head),
  /** One section per regressed benchmark: where its time went. */
  sections(comparison, { top }) {
    return comparison.benchmarks
      .filter((b) => b.status === 'regression')
      .flatMap((b) => {
        const table = functionChangesMarkdown(b, top).trim();
        const text = functionChangesText(b, top);
        if (!table && text.length === 0) return [];
        const heading = `#### Top function changes: ${escapeMarkdown(clip(b.id))}`;
        return [{ benchmark: b.id, markdown: table ? `${heading}\n\n${table}` : '', text }];
      });
  },
};
