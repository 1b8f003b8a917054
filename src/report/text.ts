/**
 * The terminal report: the same blocks as the comment (document.ts) laid out as aligned text,
 * colour only when asked; control characters from PR code are replaced. Pure.
 */
import type { Comparison } from '../model/comparison.js';
import { reportBlocks } from './document.js';
import { layoutText } from './layout/text.js';

export { sanitizeTerminal } from './layout/text.js';

export function textReport(
  comparison: Comparison,
  options: { color?: boolean; top?: number } = {},
): string {
  return layoutText(
    reportBlocks(comparison, options.top !== undefined ? { top: options.top } : {}),
    {
      color: options.color ?? false,
    },
  );
}
