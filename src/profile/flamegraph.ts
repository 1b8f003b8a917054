/**
 * Differential flame graph: frame widths are head time, colours the change from base (red grew,
 * blue shrank), like flamegraph.pl's difffolded mode. One self-contained SVG with embedded
 * JavaScript: click to zoom, "Search" to highlight by regex, "Reset zoom". Pure (returns text).
 */
import { formatDuration, formatPercent } from '../text/format.js';
import { identities, judgeChanges, type ChangeVerdict } from './diff.js';
import type { NoiseOptions, NullReference } from './noise.js';
import { foldedPackage, isProjectFrame, isRuntimeFrame } from './project.js';
import { isStitchFrame } from './stitch.js';
import type { Frame, ProfileTree } from './tree.js';

export interface FlameNode extends Frame {
  /** Inclusive value (per op or absolute), base and head. */
  base: number;
  head: number;
  /** Inclusive samples, base (all base runs) and head: what the noise rule counts. */
  baseSamples: number;
  headSamples: number;
  /** The package whose internals this frame folds (see project.ts), when folded. */
  folded?: string;
  /** The runtime's own work (see isRuntimeFrame; a folded frame: its first frame's). */
  runtime?: boolean;
  children: Map<string, FlameNode>;
}

/** An empty merged tree. */
export function flameRoot(): FlameNode {
  return {
    name: 'all',
    file: '',
    line: 0,
    base: 0,
    head: 0,
    baseSamples: 0,
    headSamples: 0,
    children: new Map(),
  };
}

export interface AddOptions {
  /**
   * Fold each dependency's internals into one frame per package: consecutive frames of one
   * package (and the native/WebAssembly frames it calls) become one frame named after it.
   */
  fold?: boolean;
}

/**
 * Adds a profile to a merged tree, each node's time multiplied by `scale` (e.g. ns per op per
 * sampled ns, or 1 / number of bases to average several base runs). Frames are matched by
 * identity (name and file, see diff.ts), not line: a function that moved is the same frame, shown
 * at its newest line.
 */
export function addToFlame(
  root: FlameNode,
  tree: ProfileTree,
  side: 'base' | 'head',
  scale: number,
  options: AddOptions = {},
): void {
  const n = tree.nodeFrame.length;
  // Packed arrays (`new Array(n)` of a large n is a slow dictionary in V8).
  const mapped: FlameNode[] = [root];
  const inclusive = Float64Array.from(tree.nodeTime);
  const samples = Float64Array.from(tree.nodeSamples);
  for (let node = n - 1; node > 0; node -= 1) {
    inclusive[tree.nodeParent[node]] += inclusive[node];
    samples[tree.nodeParent[node]] += samples[node];
  }
  const add = (target: FlameNode, node: number) => {
    if (side === 'base') {
      target.base += inclusive[node] * scale;
      target.baseSamples += samples[node];
    } else {
      target.head += inclusive[node] * scale;
      target.headSamples += samples[node];
    }
  };
  add(root, 0);
  const keys = identities(tree.frames);
  for (let node = 1; node < n; node += 1) {
    const parent = mapped[tree.nodeParent[node]];
    const frame = tree.frames[tree.nodeFrame[node]];
    // The frames async stitching adds (stitch.ts) are no dependency's: never folded.
    const pkg =
      options.fold && !isStitchFrame(frame) ? foldedPackage(frame, parent.folded) : undefined;
    if (pkg !== undefined && pkg === parent.folded) {
      // Internals of the package the parent frame folds: already inside the parent's value.
      mapped.push(parent);
      continue;
    }
    const key = pkg !== undefined ? `\u0001${pkg}` : keys[tree.nodeFrame[node]]!;
    let child = parent.children.get(key);
    if (!child) {
      const zero = { base: 0, head: 0, baseSamples: 0, headSamples: 0, children: new Map() };
      child =
        pkg !== undefined
          ? { name: pkg, file: '', line: 0, folded: pkg, ...zero }
          : { name: frame.name, file: frame.file, line: frame.line, ...zero };
      if (isRuntimeFrame(frame)) child.runtime = true;
      parent.children.set(key, child);
    } else if (side === 'head' && pkg === undefined) child.line = frame.line;
    add(child, node);
    mapped.push(child);
  }
}

export interface FlameProfile {
  tree: ProfileTree;
  side: 'base' | 'head';
  scale: number;
}

/**
 * The merged tree of some profiles twice: with each dependency folded into one frame per package
 * (the default view) and expanded (the SVG's toggle).
 */
export function flameViews(profiles: readonly FlameProfile[]): {
  folded: FlameNode;
  expanded: FlameNode;
} {
  const [folded, expanded] = [true, false].map((fold) => {
    const root = flameRoot();
    for (const p of profiles) addToFlame(root, p.tree, p.side, p.scale, { fold });
    return root;
  });
  return { folded: folded!, expanded: expanded! };
}

/** Characters XML 1.0 does not allow at all (even escaped). */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(XML_INVALID, '');
}

export interface FlameGraphOptions {
  title?: string;
  /** Formats a value for tooltips (default: ns → duration). */
  formatValue?: (value: number) => string;
  /** Width of the graph, px (the list of top changes is drawn to its right). */
  width?: number;
  /** Frames narrower than this (px) are left out, like flamegraph.pl's --minwidth. */
  minWidth?: number;
  /** The same profiles with dependencies expanded: a toggle switches between the two views. */
  expanded?: FlameNode;
  /** Entries in the list of top changes. */
  top?: number;
  /** Lines printed under the list of top changes (e.g. what async stitching attributed). */
  notes?: string[];
  /**
   * The noise rule's options. `reference` is what "no change" means (see noise.ts): by default
   * as for function changes (the typical frame's ratio when enough frames have samples).
   */
  noise?: NoiseOptions & {
    reference?: NullReference;
    /**
     * Variance of every frame's ln(head / base) between recordings beyond sampling (spread.ts
     * priorVariance of the profiles' source), as function changes have it.
     */
    extraVariance?: number;
  };
}

const FRAME_HEIGHT = 16;
const PAD_TOP = 48;
const PAD_BOTTOM = 28;
const PAD_SIDE = 10;
const PANEL_WIDTH = 340;
const NEUTRAL = 'rgb(236,236,236)';

/** Intensity by the change beyond the profile-wide factor; frames within noise stay neutral. */
function colour(verdict: ChangeVerdict | undefined, maxDelta: number): string {
  if (!verdict?.significant || maxDelta <= 0) return NEUTRAL;
  const t = Math.min(1, Math.abs(verdict.delta) / maxDelta);
  const fade = Math.round(220 - 170 * t);
  return verdict.delta > 0 ? `rgb(250,${fade},${fade})` : `rgb(${fade},${fade},250)`;
}

/**
 * Each frame of a merged tree judged by the noise rule of function changes (diff.ts): its own
 * samples (inclusive minus its children's) and its inclusive samples, base against head; the
 * root is left out, and so are the runtime's frames with no project frame below the root (the
 * garbage collector, the scheduler, the kernel: see judgeChanges), which are never coloured.
 */
export function judgeFrames(
  root: FlameNode,
  options: NoiseOptions & { reference?: NullReference; extraVariance?: number } = {},
): Map<FlameNode, ChangeVerdict> {
  const nodes: FlameNode[] = [];
  const runtime: boolean[] = [];
  const stack: Array<[FlameNode, boolean]> = [...root.children.values()].map((n) => [n, false]);
  while (stack.length > 0) {
    const [node, underProject] = stack.pop()!;
    nodes.push(node);
    runtime.push(!underProject && node.runtime === true);
    const below = underProject || (!node.folded && isProjectFrame(node));
    for (const child of node.children.values()) stack.push([child, below]);
  }
  const verdicts = new Map<FlameNode, ChangeVerdict>();
  if (!(root.base > 0 && root.head > 0 && root.baseSamples > 0 && root.headSamples > 0))
    return verdicts;
  const counts = nodes.map((node, i) => {
    let base = node.baseSamples;
    let head = node.headSamples;
    for (const child of node.children.values()) {
      base -= child.baseSamples;
      head -= child.headSamples;
    }
    return {
      base: Math.max(0, base),
      head: Math.max(0, head),
      totalBase: node.baseSamples,
      totalHead: node.headSamples,
      runtime: runtime[i],
      extraVariance: options.extraVariance ?? 0,
    };
  });
  const exposure = { base: root.baseSamples / root.base, head: root.headSamples / root.head };
  const judged = judgeChanges(counts, exposure, {
    ...options,
    total: Math.max(root.base, root.head),
  });
  nodes.forEach((node, i) => verdicts.set(node, judged[i]!));
  return verdicts;
}

function where(node: Frame): string {
  return node.file ? ` (${node.file}${node.line ? `:${node.line}` : ''})` : '';
}

interface View {
  frames: string[];
  list: string[];
  depth: number;
}

/** One view (folded or expanded) of a merged tree: its frames and its list of top changes. */
function drawView(
  root: FlameNode,
  geometry: { usable: number; minWidth: number; bottom: number; panelX: number; top: number },
  fmt: (value: number) => string,
  noise: NonNullable<FlameGraphOptions['noise']>,
): View {
  const total = root.head > 0 ? root.head : root.base;
  const pxPerUnit = total > 0 ? geometry.usable / total : 0;
  const verdicts = judgeFrames(root, noise);
  let maxDelta = 0;
  for (const v of verdicts.values())
    if (v.significant) maxDelta = Math.max(maxDelta, Math.abs(v.delta));
  const frames: string[] = [];
  const changed: Array<{
    node: FlameNode;
    verdict: ChangeVerdict;
    index: number;
    caller?: FlameNode;
  }> = [];
  let depthMax = 0;
  const draw = (node: FlameNode, depth: number, x: number, caller: FlameNode | undefined) => {
    depthMax = Math.max(depthMax, depth);
    const w = node.head * pxPerUnit;
    const y = geometry.bottom - (depth + 1) * FRAME_HEIGHT;
    const delta = node.head - node.base;
    const verdict = verdicts.get(node);
    const change =
      node.base > 0 ? ` ${formatPercent(delta / node.base)}` : node.head > 0 ? ' new' : '';
    const share = total > 0 ? ` ${((100 * node.head) / total).toFixed(2)}%` : '';
    const label = node.folded ? `${node.name} (dependency, folded)` : `${node.name}${where(node)}`;
    const noiseNote =
      depth === 0
        ? ''
        : verdict?.runtime
          ? ", the runtime's own work (not judged)"
          : verdict?.significant
            ? ', beyond noise'
            : ', within noise';
    const title = `${label}\nhead ${fmt(node.head)}${share}, base ${fmt(node.base)}${change}${noiseNote}`;
    if (verdict?.significant) changed.push({ node, verdict, index: frames.length, caller });
    frames.push(
      `<g class="f" data-x="${(x / geometry.usable).toFixed(6)}" data-w="${(w / geometry.usable).toFixed(6)}" data-d="${depth}"><title>${escapeXml(title)}</title>` +
        `<rect x="${(PAD_SIDE + x).toFixed(1)}" y="${y}" width="${Math.max(0, w - 0.5).toFixed(1)}" height="${FRAME_HEIGHT - 1}" fill="${depth === 0 ? 'rgb(220,220,220)' : colour(verdict, maxDelta)}" rx="2"/>` +
        `<text x="${(PAD_SIDE + x + 3).toFixed(1)}" y="${y + 11.5}">${escapeXml(fit(node.name, w))}</text></g>`,
    );
    const nextCaller =
      depth > 0 && !node.folded && !isStitchFrame(node) && isProjectFrame(node) ? node : caller;
    let cx = x;
    const children = [...node.children.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const child of children) {
      if (child.head * pxPerUnit >= geometry.minWidth) draw(child, depth + 1, cx, nextCaller);
      cx += child.head * pxPerUnit;
    }
  };
  draw(root, 0, 0, undefined);
  const list = changed
    .sort((a, b) => Math.abs(b.verdict.delta) - Math.abs(a.verdict.delta) || a.index - b.index)
    .slice(0, geometry.top)
    .map(({ node, verdict, index, caller }, rank) => {
      const sign = verdict.delta > 0 ? '+' : '−';
      const under = caller && caller !== node ? ` ← ${caller.name}` : '';
      const text = `${sign}${fmt(Math.abs(verdict.delta))}  ${node.name}${under}`;
      const full = `${sign}${fmt(Math.abs(verdict.delta))} ${node.folded ? `${node.name} (dependency, folded)` : `${node.name}${where(node)}`}${caller && caller !== node ? `, called from ${caller.name}${where(caller)}` : ''}`;
      return (
        `<g class="c" data-i="${index}"><title>${escapeXml(full)}</title>` +
        `<text x="${geometry.panelX}" y="${PAD_TOP + 36 + rank * FRAME_HEIGHT}" fill="${verdict.delta > 0 ? '#b00' : '#00b'}">${escapeXml(clipText(text, 46))}</text></g>`
      );
    });
  return { frames, list, depth: depthMax };
}

/** Words into lines of at most `max` characters (a longer word is a line of its own). */
function wrapText(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 2)}..`;
}

/**
 * Renders a merged tree as a differential flame graph SVG: widths are head time; only frames
 * whose own change is beyond sampling noise are coloured (red grew, blue shrank); the top
 * changes are listed beside the graph. With `expanded`, `root` is the folded view and a toggle
 * shows the other.
 */
export function flameGraphSvg(root: FlameNode, options: FlameGraphOptions = {}): string {
  const graphWidth = options.width ?? 1200;
  const width = graphWidth + PANEL_WIDTH;
  const minWidth = options.minWidth ?? 0.1;
  const fmt = options.formatValue ?? ((v: number) => formatDuration(v));
  const usable = graphWidth - 2 * PAD_SIDE;
  const noise = options.noise ?? {};
  // The depth decides the height: measure both views first.
  const depthOf = (node: FlameNode, total: number): number => {
    let max = 0;
    for (const child of node.children.values())
      if ((child.head * usable) / total >= minWidth) max = Math.max(max, 1 + depthOf(child, total));
    return max;
  };
  const roots = options.expanded ? [root, options.expanded] : [root];
  const depths = roots.map((r) => depthOf(r, (r.head > 0 ? r.head : r.base) || 1));
  const depth = Math.max(...depths);
  const notes = (options.notes ?? []).flatMap((note) => wrapText(note, 52));
  const notesY = PAD_TOP + 36 + ((options.top ?? 10) + 1) * FRAME_HEIGHT;
  const listHeight = notesY + notes.length * FRAME_HEIGHT;
  const height = Math.max(PAD_TOP + (depth + 1) * FRAME_HEIGHT + PAD_BOTTOM, listHeight);
  const geometry = {
    usable,
    minWidth,
    bottom: height - PAD_BOTTOM,
    panelX: graphWidth + 10,
    top: options.top ?? 10,
  };
  // Each view stands on its own base line, right under the header: the folded view is far
  // shallower than the expanded one and would otherwise float at the bottom of a tall canvas.
  const views = roots.map((r, i) =>
    drawView(r, { ...geometry, bottom: PAD_TOP + 8 + (depths[i]! + 1) * FRAME_HEIGHT }, fmt, noise),
  );
  const viewSvg = views
    .map(
      (view, i) =>
        `<g class="view${i === 0 ? '' : ' hide'}" id="view${i}">\n<g class="frames">\n${view.frames.join('\n')}\n</g>\n` +
        `<text x="${geometry.panelX}" y="${PAD_TOP + 14}" font-weight="bold">Top changes beyond noise (per frame)</text>\n` +
        (view.list.length > 0
          ? view.list.join('\n')
          : `<text x="${geometry.panelX}" y="${PAD_TOP + 36}" fill="#555">none: no frame changed beyond sampling noise</text>`) +
        '\n</g>',
    )
    .join('\n');
  const toggle = options.expanded
    ? `<text id="toggle" class="btn" x="${PAD_SIDE + 110}" y="22">Expand dependencies</text>`
    : '';
  const notesSvg = notes
    .map(
      (line, i) =>
        `<text x="${geometry.panelX}" y="${notesY + i * FRAME_HEIGHT}" fill="#555">${escapeXml(line)}</text>`,
    )
    .join('\n');
  const title = escapeXml(options.title ?? 'Differential flame graph');
  return `<?xml version="1.0" standalone="no"?>
<svg version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg" onload="init(evt)">
<style>
text { font: 12px Verdana, sans-serif; fill: #000; pointer-events: none; }
.f:hover rect { stroke: #000; stroke-width: 0.5; cursor: pointer; }
.f.hit rect { fill: rgb(230,0,230) !important; }
.c text { pointer-events: all; cursor: pointer; }
.hide { display: none; }
#title { font-size: 17px; text-anchor: middle; }
.btn { cursor: pointer; fill: #333; text-decoration: underline; pointer-events: all; }
</style>
<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>
<text id="title" x="${graphWidth / 2}" y="22">${title}</text>
<text x="${PAD_SIDE}" y="40" fill="#555">width: head time · red: grew, blue: shrank (own time, beyond sampling noise) · grey: within noise · click: zoom</text>
<text id="reset" class="btn hide" x="${PAD_SIDE}" y="22">Reset zoom</text>
${toggle}
<text id="search" class="btn" x="${graphWidth - PAD_SIDE - 60}" y="22">Search</text>
<text id="matched" x="${graphWidth - PAD_SIDE - 160}" y="${height - 8}"></text>
<text id="details" x="${PAD_SIDE}" y="${height - 8}"> </text>
${viewSvg}
${notesSvg}
<script type="text/ecmascript"><![CDATA[
var W = ${usable}, P = ${PAD_SIDE}, frames, details, resetBtn, matched, view = 0;
function init() {
  details = document.getElementById('details');
  resetBtn = document.getElementById('reset');
  matched = document.getElementById('matched');
  Array.prototype.slice.call(document.querySelectorAll('.f')).forEach(function (g) {
    g.addEventListener('click', function () { zoom(g); });
    g.addEventListener('mouseover', function () { details.textContent = g.querySelector('title').textContent.replace(/\\n/g, ' · '); });
    g.addEventListener('mouseout', function () { details.textContent = ' '; });
  });
  Array.prototype.slice.call(document.querySelectorAll('.c')).forEach(function (c) {
    c.addEventListener('click', function () { zoom(frames[+c.dataset.i]); });
  });
  resetBtn.addEventListener('click', function () { zoom(null); });
  document.getElementById('search').addEventListener('click', search);
  var toggle = document.getElementById('toggle');
  if (toggle) toggle.addEventListener('click', function () {
    show(1 - view);
    toggle.textContent = view === 0 ? 'Expand dependencies' : 'Fold dependencies';
  });
  show(0);
}
function show(v) {
  if (frames) zoom(null);
  view = v;
  Array.prototype.slice.call(document.querySelectorAll('.view')).forEach(function (g) { g.classList.toggle('hide', g.id !== 'view' + v); });
  frames = Array.prototype.slice.call(document.querySelectorAll('#view' + v + ' .f'));
}
function fitText(g, w) {
  var t = g.querySelector('text'), name = g.querySelector('title').textContent.split('\\n')[0];
  name = name.replace(/ \\([^()]*\\)$/, '');
  var n = Math.floor((w - 6) / 7);
  t.textContent = n < 3 ? '' : name.length <= n ? name : name.slice(0, n - 2) + '..';
}
function place(g, x, w) {
  var r = g.querySelector('rect'), t = g.querySelector('text');
  r.setAttribute('x', (P + x * W).toFixed(1));
  r.setAttribute('width', Math.max(0, w * W - 0.5).toFixed(1));
  t.setAttribute('x', (P + x * W + 3).toFixed(1));
  fitText(g, w * W);
}
function zoom(target) {
  var zx = 0, zw = 1, zd = 0;
  if (target) { zx = +target.dataset.x; zw = +target.dataset.w; zd = +target.dataset.d; }
  frames.forEach(function (g) {
    var x = +g.dataset.x, w = +g.dataset.w, d = +g.dataset.d;
    var inside = x >= zx - 1e-9 && x + w <= zx + zw + 1e-9;
    var ancestor = d < zd && x <= zx + 1e-9 && x + w >= zx + zw - 1e-9;
    if (!target || (inside && d >= zd)) { g.classList.remove('hide'); place(g, (x - zx) / zw, w / zw); }
    else if (ancestor) { g.classList.remove('hide'); place(g, 0, 1); }
    else g.classList.add('hide');
  });
  resetBtn.classList.toggle('hide', !target);
}
function search() {
  var term = prompt('Search (regular expression)', '');
  var re = null, total = 0, hit = 0, seen = [];
  try { re = term ? new RegExp(term) : null; } catch (e) { alert('Bad regular expression'); return; }
  frames.forEach(function (g) {
    var name = g.querySelector('title').textContent.split('\\n')[0];
    var x = +g.dataset.x, w = +g.dataset.w;
    if (+g.dataset.d === 0) total = w;
    var on = !!re && re.test(name);
    g.classList.toggle('hit', on);
    // Count each matched span once (a match inside a matched ancestor adds nothing).
    if (on && !seen.some(function (s) { return x >= s[0] - 1e-9 && x + w <= s[1] + 1e-9; })) { seen.push([x, x + w]); hit += w; }
  });
  matched.textContent = re ? 'Matched: ' + (total > 0 ? (100 * hit / total).toFixed(1) : '0') + '%' : '';
}
]]></script>
</svg>
`;
}

/** Approximate text fitting: ~7 px per character at 12 px Verdana. */
function fit(name: string, widthPx: number): string {
  const n = Math.floor((widthPx - 6) / 7);
  if (n < 3) return '';
  return name.length <= n ? name : `${name.slice(0, n - 2)}..`;
}
