// Types of chromium.mjs, for the tests that import it.
export function findChromium(): string | undefined;
export function dumpDom(
  chromium: string,
  file: string,
  options?: { width?: number; height?: number },
): string;
export function screenshot(
  chromium: string,
  file: string,
  out: string,
  options?: { width?: number; height?: number; scale?: number },
): void;
