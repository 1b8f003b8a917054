// Evaluation suite, compute-bound tasks. Shapes chosen to cover what V8 does differently from one
// process to the next (tight loops) and what it does steadily (sorting, hashing, typed arrays).
import { Bench } from 'tinybench';
import { slowable, spin, SPIN_TASK_ITERATIONS } from './slowdown.js';

const numbers = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 1000);
const floats = Float64Array.from({ length: 20_000 }, (_, i) => Math.sin(i));
const other = Float64Array.from({ length: 20_000 }, (_, i) => Math.cos(i));
const words = Array.from({ length: 2_000 }, (_, i) => `w${((i * 2654435761) >>> 0).toString(36)}`);

interface Shape {
  area(): number;
}
class Square implements Shape {
  constructor(readonly side: number) {}
  area(): number {
    return this.side * this.side;
  }
}
class Circle implements Shape {
  constructor(readonly radius: number) {}
  area(): number {
    return Math.PI * this.radius * this.radius;
  }
}
class Rect implements Shape {
  constructor(
    readonly w: number,
    readonly h: number,
  ) {}
  area(): number {
    return this.w * this.h;
  }
}
class Triangle implements Shape {
  constructor(
    readonly b: number,
    readonly h: number,
  ) {}
  area(): number {
    return (this.b * this.h) / 2;
  }
}
const shapes: Shape[] = Array.from({ length: 4_000 }, (_, i) =>
  i % 4 === 0
    ? new Square(i)
    : i % 4 === 1
      ? new Circle(i)
      : i % 4 === 2
        ? new Rect(i, 2)
        : new Triangle(i, 3),
);

const bench = new Bench({ name: 'compute' });
bench
  .add(
    'sum for-of',
    slowable('sum for-of', () => {
      let sum = 0;
      for (const n of numbers) sum += n;
      return sum;
    }),
  )
  .add(
    'sort strings',
    slowable('sort strings', () => [...words].sort()),
  )
  .add(
    'hash loop',
    slowable('hash loop', () => {
      let h = 2166136261;
      for (let i = 0; i < 2_000; i++) h = Math.imul(h ^ (i & 0xff), 16777619);
      return h >>> 0;
    }),
  )
  .add(
    'typed-array dot',
    slowable('typed-array dot', () => {
      let dot = 0;
      for (let i = 0; i < floats.length; i++) dot += floats[i] * other[i];
      return dot;
    }),
  )
  .add(
    'polymorphic calls',
    slowable('polymorphic calls', () => {
      let total = 0;
      for (const shape of shapes) total += shape.area();
      return total;
    }),
  )
  // Calibration: the cost of the extra work that slows the other tasks (never slowed itself).
  .add('spin 10k', () => spin(SPIN_TASK_ITERATIONS));

export default bench;
