// `npm run preview`: the pull-request comment rendered with GitHub's comment style in headless
// Chromium, as a PNG (default: the demo's comment → docs/images/demo-comment.png, the image in
// README.md and docs/report.md). The page is the one `perfgate compare … --format html` writes
// (src/report/html.ts); the comment is renderMarkdown of a Comparison JSON (default: the demo's
// real comparison, __tests__/fixtures/report/demo-comparison.json, with its artifact links).
//
//   npm run preview -- [--comparison FILE.json] [--out FILE.png] [--html FILE.html] [--width 960]
//                      [--open]   (every <details> open)
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { dumpDom, findChromium, screenshot } from './lib/chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const { values: options } = parseArgs({
  options: {
    comparison: { type: 'string' },
    out: { type: 'string', default: join(root, 'docs', 'images', 'demo-comment.png') },
    html: { type: 'string' },
    width: { type: 'string', default: '960' },
    // Every <details> open: the folded evidence too.
    open: { type: 'boolean', default: false },
  },
});
const chromium = findChromium();
if (!chromium) {
  console.error('preview: no Chromium on PATH (Debian: apt-get install chromium; or set CHROMIUM)');
  process.exit(2);
}
const width = Number(options.width);
const demo = options.comparison === undefined;
const comparisonFile = resolve(
  options.comparison ?? join(root, '__tests__', 'fixtures', 'report', 'demo-comparison.json'),
);
// The demo's artifact links, as the CLI writes them next to its report.
const links = demo
  ? {
      'users.bench.ts > users-api > GET /users': [
        { label: 'flame graph', url: 'flamegraphs/GET_users.diff.svg' },
        { label: 'speedscope', url: 'flamegraphs/GET_users.speedscope.json' },
      ],
    }
  : {};

const dir = mkdtempSync(join(tmpdir(), 'perfgate-preview-'));
try {
  // The report's own sources, bundled for this run (no build of dist/ needed).
  const bundle = join(dir, 'report.mjs');
  await build({
    absWorkingDir: root,
    stdin: {
      contents:
        "export { renderMarkdown } from './src/report/index.ts';\nexport { htmlPreview } from './src/report/html.ts';\n",
      resolveDir: root,
      loader: 'ts',
    },
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  const { renderMarkdown, htmlPreview } = await import(pathToFileURL(bundle).href);
  const comparison = JSON.parse(readFileSync(comparisonFile, 'utf8'));
  const comment = htmlPreview(renderMarkdown(comparison, { links }));
  const html = options.open ? comment.replaceAll('<details>', '<details open>') : comment;
  if (options.html) writeFileSync(resolve(options.html), html);

  // The page's height at this width, measured by the browser, so the image ends with the comment.
  const page = join(dir, 'preview.html');
  const measure = `<script>const pre = document.createElement('pre'); pre.id = 'h';
pre.textContent = Math.ceil(document.querySelector('.comment').getBoundingClientRect().bottom);
document.body.append(pre);</script>`;
  writeFileSync(page, html.replace('</body>', `${measure}</body>`));
  const height = Number(/<pre id="h">(\d+)<\/pre>/.exec(dumpDom(chromium, page, { width }))?.[1]);
  if (!(height > 0)) throw new Error('preview: Chromium did not measure the page');
  writeFileSync(page, html);
  const out = resolve(options.out);
  screenshot(chromium, page, out, { width, height: height + 24, scale: 2 });
  console.log(`preview: ${relative(process.cwd(), out) || out} (${width}×${height + 24} CSS px)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
