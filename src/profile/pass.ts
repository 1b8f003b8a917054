/**
 * The child half of the profile kind: its options and its pass in the bench child. Imports no
 * compare or render code (dist/child.js bundles this, not ./kind.ts).
 */
import type { KindPass } from '../model/kind.js';
import type { ProfileAttachment } from '../model/profile.js';
import { captureProfile } from './capture.js';
import { profileOptionsSchema } from './options.js';

const options = profileOptionsSchema.prefault({});

export const profilePass: KindPass<'profile', typeof options, ProfileAttachment> = {
  name: 'profile',
  options,
  enabled: (o) => o.enabled,
  capture: (task, context, o) => captureProfile(task, context, o),
};
