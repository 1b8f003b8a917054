/**
 * Differential flame graph: frame widths are head time, colours the change from base (red grew,
 * blue shrank), like flamegraph.pl's difffolded mode. One self-contained SVG with embedded
 * JavaScript: click to zoom, "Search" to highlight by regex, "Reset zoom". Pure (returns text).
 */
import { formatDuration, formatPercent } from '../text/format.js';
import { frameKey, type Frame, type ProfileTree } from './tree.js';

export interface FlameNode extends Frame {
  /** Inclusive value (per op or absolute), base and head. */
  base: number;
  head: number;
  children: Map<string, FlameNode>;
}

/** An empty merged tree. */
export function flameRoot(): FlameNode {
  return { name: 'all', file: '', line: 0, base: 0, head: 0, children: new Map() };
}

/**
 * Adds a profile to a merged tree, each node's time multiplied by `scale` (e.g. ns per op per
 * sampled ns, or 1 / number of bases to average several base runs).
 */
export function addToFlame(
  root: FlameNode,
  tree: ProfileTree,
  side: 'base' | 'head',
  scale: number,
): void {
  const n = tree.nodeFrame.length;
  // Packed arrays (`new Array(n)` of a large n is a slow dictionary in V8).
  const mapped: FlameNode[] = [root];
  const inclusive = Float64Array.from(tree.nodeTime);
  for (let node = n - 1; node > 0; node -= 1) inclusive[tree.nodeParent[node]] += inclusive[node];
  root[side] += inclusive[0] * scale;
  const keys = tree.frames.map(frameKey);
  for (let node = 1; node < n; node += 1) {
    const parent = mapped[tree.nodeParent[node]];
    const frame = tree.frames[tree.nodeFrame[node]];
    const key = keys[tree.nodeFrame[node]];
    let child = parent.children.get(key);
    if (!child) {
      child = { ...frame, base: 0, head: 0, children: new Map() };
      parent.children.set(key, child);
    }
    if (side === 'base') child.base += inclusive[node] * scale;
    else child.head += inclusive[node] * scale;
    mapped.push(child);
  }
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
  /** Total width, px. */
  width?: number;
  /** Frames narrower than this (px) are left out, like flamegraph.pl's --minwidth. */
  minWidth?: number;
}

const FRAME_HEIGHT = 16;
const PAD_TOP = 48;
const PAD_BOTTOM = 28;
const PAD_SIDE = 10;

function colour(delta: number, maxDelta: number): string {
  if (maxDelta <= 0 || delta === 0) return 'rgb(240,240,240)';
  const t = Math.min(1, Math.abs(delta) / maxDelta);
  const fade = Math.round(240 - 190 * t);
  return delta > 0 ? `rgb(250,${fade},${fade})` : `rgb(${fade},${fade},250)`;
}

/** Renders a merged tree as a differential flame graph SVG. */
export function flameGraphSvg(root: FlameNode, options: FlameGraphOptions = {}): string {
  const width = options.width ?? 1200;
  const minWidth = options.minWidth ?? 0.1;
  const fmt = options.formatValue ?? ((v: number) => formatDuration(v));
  const usable = width - 2 * PAD_SIDE;
  const total = root.head > 0 ? root.head : root.base;
  const pxPerUnit = total > 0 ? usable / total : 0;
  let maxDelta = 0;
  let maxDepth = 0;
  const visit = (node: FlameNode, depth: number) => {
    maxDepth = Math.max(maxDepth, depth);
    if (depth > 0) maxDelta = Math.max(maxDelta, Math.abs(node.head - node.base));
    for (const child of node.children.values())
      if (child.head * pxPerUnit >= minWidth) visit(child, depth + 1);
  };
  visit(root, 0);
  const height = PAD_TOP + (maxDepth + 1) * FRAME_HEIGHT + PAD_BOTTOM;
  const frames: string[] = [];
  const draw = (node: FlameNode, depth: number, x: number) => {
    const w = node.head * pxPerUnit;
    const y = height - PAD_BOTTOM - (depth + 1) * FRAME_HEIGHT;
    const delta = node.head - node.base;
    const change =
      node.base > 0 ? ` ${formatPercent(delta / node.base)}` : node.head > 0 ? ' new' : '';
    const where = node.file ? ` (${node.file}${node.line ? `:${node.line}` : ''})` : '';
    const share = total > 0 ? ` ${((100 * node.head) / total).toFixed(2)}%` : '';
    const title = `${node.name}${where}\nhead ${fmt(node.head)}${share}, base ${fmt(node.base)}${change}`;
    frames.push(
      `<g class="f" data-x="${(x / usable).toFixed(6)}" data-w="${(w / usable).toFixed(6)}" data-d="${depth}"><title>${escapeXml(title)}</title>` +
        `<rect x="${(PAD_SIDE + x).toFixed(1)}" y="${y}" width="${Math.max(0, w - 0.5).toFixed(1)}" height="${FRAME_HEIGHT - 1}" fill="${depth === 0 ? 'rgb(220,220,220)' : colour(delta, maxDelta)}" rx="2"/>` +
        `<text x="${(PAD_SIDE + x + 3).toFixed(1)}" y="${y + 11.5}">${escapeXml(fit(node.name, w))}</text></g>`,
    );
    let cx = x;
    const children = [...node.children.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const child of children) {
      if (child.head * pxPerUnit >= minWidth) draw(child, depth + 1, cx);
      cx += child.head * pxPerUnit;
    }
  };
  draw(root, 0, 0);
  const title = escapeXml(options.title ?? 'Differential flame graph');
  return `<?xml version="1.0" standalone="no"?>
<svg version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg" onload="init(evt)">
<style>
text { font: 12px Verdana, sans-serif; fill: #000; pointer-events: none; }
.f:hover rect { stroke: #000; stroke-width: 0.5; cursor: pointer; }
.f.hit rect { fill: rgb(230,0,230) !important; }
.hide { display: none; }
#title { font-size: 17px; text-anchor: middle; }
.btn { cursor: pointer; fill: #333; text-decoration: underline; pointer-events: all; }
</style>
<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>
<text id="title" x="${width / 2}" y="22">${title}</text>
<text x="${PAD_SIDE}" y="40" fill="#555">width: head time · red: grew · blue: shrank · click: zoom</text>
<text id="reset" class="btn hide" x="${PAD_SIDE}" y="22">Reset zoom</text>
<text id="search" class="btn" x="${width - PAD_SIDE - 60}" y="22">Search</text>
<text id="matched" x="${width - PAD_SIDE - 160}" y="${height - 8}"></text>
<text id="details" x="${PAD_SIDE}" y="${height - 8}"> </text>
<g id="frames">
${frames.join('\n')}
</g>
<script type="text/ecmascript"><![CDATA[
var W = ${usable}, P = ${PAD_SIDE}, frames, details, resetBtn, matched;
function init() {
  frames = Array.prototype.slice.call(document.querySelectorAll('.f'));
  details = document.getElementById('details');
  resetBtn = document.getElementById('reset');
  matched = document.getElementById('matched');
  frames.forEach(function (g) {
    g.addEventListener('click', function () { zoom(g); });
    g.addEventListener('mouseover', function () { details.textContent = g.querySelector('title').textContent.replace(/\\n/g, ' · '); });
    g.addEventListener('mouseout', function () { details.textContent = ' '; });
  });
  resetBtn.addEventListener('click', function () { zoom(null); });
  document.getElementById('search').addEventListener('click', search);
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
