// Evaluation suite, text tasks: string building, regular expressions, URLs, number formatting.
import { Bench } from 'tinybench';
import { slowable } from './slowdown.js';

const lines = Array.from(
  { length: 1_000 },
  (_, i) =>
    `2026-12-01T10:${String(i % 60).padStart(2, '0')}:00Z ${i % 5 === 0 ? 'ERROR' : 'INFO'} ` +
    `request id=${i} path=/api/items/${i * 3} took=${(i * 37) % 900}ms`,
);
const pattern = /^(\S+) (ERROR|INFO) request id=(\d+) path=(\S+) took=(\d+)ms$/;
const urls = Array.from(
  { length: 200 },
  (_, i) => `https://example.com:8080/a/b/${i}?q=${i}&r=x#h`,
);
const format = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

const bench = new Bench({ name: 'text' });
bench
  .add(
    'string building',
    slowable('string building', () => {
      let out = '';
      for (let i = 0; i < 1_000; i++) out += `<li id="item-${i}">${i * 2}</li>`;
      return out.length;
    }),
  )
  .add(
    'regex parse log',
    slowable('regex parse log', () => {
      let slow = 0;
      for (const line of lines) {
        const m = pattern.exec(line);
        if (m && Number(m[5]) > 500) slow++;
      }
      return slow;
    }),
  )
  .add(
    'url parse',
    slowable('url parse', () => {
      let total = 0;
      for (const u of urls) total += new URL(u).pathname.length;
      return total;
    }),
  )
  .add(
    'number format',
    slowable('number format', () => {
      let total = 0;
      for (let i = 0; i < 300; i++) total += format.format(i * 1234.5678).length;
      return total;
    }),
  );

export default bench;
