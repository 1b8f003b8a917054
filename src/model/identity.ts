/**
 * Identity of code across two versions: CPU profile functions (src/profile), allocation sites
 * (src/memory) and flame graph frames are matched with it. Pure.
 */

/**
 * Identity of a function across two versions of the code: its name and file. The line is an
 * attribute (lines move when code above them changes). Names that occur more than once in one
 * file on one side (`(anonymous)`, methods of different classes) are told apart by their order
 * in the file, the closest thing to an enclosing scope the profilers give.
 */
export function identities(
  functions: ReadonlyArray<{ name: string; file: string; line: number }>,
): string[] {
  const groups = new Map<string, number[]>();
  functions.forEach((f, i) => {
    const key = `${f.name}\u0000${f.file}`;
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  const keys = Array<string>(functions.length);
  for (const [key, list] of groups) {
    if (list.length === 1) {
      keys[list[0]!] = key;
      continue;
    }
    [...list]
      .sort((a, b) => functions[a]!.line - functions[b]!.line)
      .forEach((index, ordinal) => (keys[index] = `${key}\u0000#${ordinal}`));
  }
  return keys;
}
