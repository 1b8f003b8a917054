/**
 * How many terminal columns a string takes, for aligned text tables: wide characters (emoji
 * shown as pictures, CJK) take two, combining marks and joiners none. Pure.
 */
const MARK = /\p{M}/u;
const WIDE =
  /[\p{Emoji_Presentation}\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

export function displayWidth(text: string): number {
  const chars = [...text];
  let width = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (isZeroWidth(ch)) continue;
    // "⚠️": a pictograph with the emoji variation selector is drawn as a picture.
    if (WIDE.test(ch) || (PICTOGRAPHIC.test(ch) && chars[i + 1] === '\ufe0f')) width += 2;
    else width += 1;
  }
  return width;
}

/** Combining marks, zero-width spaces and joiners, variation selectors. */
function isZeroWidth(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return (
    MARK.test(ch) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    cp === 0x2060 ||
    (cp >= 0xfe00 && cp <= 0xfe0f)
  );
}
