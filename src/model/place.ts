/**
 * Where a benchmark lives, "users.bench.ts › users-api": the heading above its rows in the
 * report's tables, so that the rows carry short names. Pure.
 */
import { clip } from '../text/format.js';

export function placeOf(b: { file: string; group?: string | undefined }): string {
  return clip(b.group ? `${b.file} › ${b.group}` : b.file, 200);
}

/** Items by place, in order of first appearance. */
export function groupByPlace<T extends { file: string; group?: string | undefined }>(
  items: readonly T[],
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const place = placeOf(item);
    groups.set(place, [...(groups.get(place) ?? []), item]);
  }
  return groups;
}
