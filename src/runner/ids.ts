/** Stable benchmark id: `file > group > name`, the group omitted when the Bench has no name. */
export function benchmarkId(file: string, group: string | undefined, name: string): string {
  return group ? `${file} > ${group} > ${name}` : `${file} > ${name}`;
}

/**
 * Makes ids unique within one run (`id`, `id #2`, `id #3`…), in order; returns the renamed ones
 * so the caller can warn (a duplicate id would make compare pair the wrong benchmarks).
 */
export function uniqueIds(ids: readonly string[]): {
  ids: string[];
  renamed: Array<[string, string]>;
} {
  const seen = new Set<string>();
  const renamed: Array<[string, string]> = [];
  const result = ids.map((id) => {
    if (!seen.has(id)) {
      seen.add(id);
      return id;
    }
    let k = 2;
    while (seen.has(`${id} #${k}`)) k++;
    const unique = `${id} #${k}`;
    seen.add(unique);
    renamed.push([id, unique]);
    return unique;
  });
  return { ids: result, renamed };
}
