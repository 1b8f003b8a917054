// Headless Chromium (Debian's `chromium`) for the comment preview: its rendered DOM (after the
// page's scripts ran) and screenshots. Used by `npm run preview` and __tests__/report/chromium.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The first Chromium on PATH (or $CHROMIUM), or undefined. */
export function findChromium() {
  for (const name of [process.env.CHROMIUM, ...CANDIDATES].filter(Boolean)) {
    const probe = spawnSync(name, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0 && /chrom/i.test(probe.stdout)) return name;
  }
  return undefined;
}

/**
 * Runs headless Chromium on a local file with its own throw-away profile (other Chromiums may
 * run at the same time); no network, no GPU, no sandbox when root (containers).
 */
function run(chromium, args, { timeoutMs = 30_000 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'perfgate-chromium-'));
  try {
    const result = spawnSync(
      chromium,
      [
        '--headless',
        '--disable-gpu',
        '--no-first-run',
        '--no-default-browser-check',
        '--hide-scrollbars',
        '--mute-audio',
        `--user-data-dir=${profile}`,
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        ...args,
      ],
      { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
    );
    if (result.error) throw new Error(`${chromium}: ${result.error.message}`);
    if (result.status !== 0)
      throw new Error(`${chromium} exited with ${result.status}: ${result.stderr.slice(-2000)}`);
    return result.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The serialised DOM of `file` after its scripts ran, at a window `width` wide. */
export function dumpDom(chromium, file, { width = 1280, height = 2000 } = {}) {
  return run(chromium, [`--window-size=${width},${height}`, '--dump-dom', `file://${file}`]);
}

/** A PNG of `file` at `width` × `height` CSS pixels (scale 2 for a sharp image). */
export function screenshot(chromium, file, out, { width = 1280, height = 2000, scale = 1 } = {}) {
  run(chromium, [
    `--window-size=${width},${height}`,
    `--force-device-scale-factor=${scale}`,
    `--screenshot=${out}`,
    `file://${file}`,
  ]);
}
