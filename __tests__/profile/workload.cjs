// Synthetic benchmark for the profile tests (plain CommonJS, loaded with Node's own require so
// that line numbers are the file's own). `inner` and `other` are too big for V8 to inline (the
// sampling profiler attributes inlined code to the caller, as DevTools does), so their samples
// stay theirs. `operation(scale)` gives `inner` `scale` times the work of `other`.
'use strict'; /* global module */

function inner(n) {
  let acc = 0;
  for (let i = 0; i < n; i += 1) {
    acc = (acc + Math.sqrt(i + 0) * ((i ^ 0) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 1) * ((i ^ 1) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 2) * ((i ^ 2) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 3) * ((i ^ 3) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 4) * ((i ^ 4) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 5) * ((i ^ 5) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 6) * ((i ^ 6) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 7) * ((i ^ 7) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 8) * ((i ^ 8) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 9) * ((i ^ 9) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 10) * ((i ^ 10) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 11) * ((i ^ 11) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 12) * ((i ^ 12) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 13) * ((i ^ 13) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 14) * ((i ^ 14) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 15) * ((i ^ 15) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 16) * ((i ^ 16) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 17) * ((i ^ 17) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 18) * ((i ^ 18) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 19) * ((i ^ 19) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 20) * ((i ^ 20) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 21) * ((i ^ 21) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 22) * ((i ^ 22) & 7)) % 1e9;
    acc = (acc + Math.sqrt(i + 23) * ((i ^ 23) & 7)) % 1e9;
  }
  return acc;
}

function other(n) {
  let acc = 0;
  for (let i = 0; i < n; i += 1) {
    acc = (acc + Math.cbrt(i + 0) * ((i ^ 0) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 1) * ((i ^ 1) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 2) * ((i ^ 2) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 3) * ((i ^ 3) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 4) * ((i ^ 4) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 5) * ((i ^ 5) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 6) * ((i ^ 6) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 7) * ((i ^ 7) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 8) * ((i ^ 8) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 9) * ((i ^ 9) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 10) * ((i ^ 10) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 11) * ((i ^ 11) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 12) * ((i ^ 12) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 13) * ((i ^ 13) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 14) * ((i ^ 14) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 15) * ((i ^ 15) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 16) * ((i ^ 16) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 17) * ((i ^ 17) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 18) * ((i ^ 18) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 19) * ((i ^ 19) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 20) * ((i ^ 20) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 21) * ((i ^ 21) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 22) * ((i ^ 22) & 3)) % 1e9;
    acc = (acc + Math.cbrt(i + 23) * ((i ^ 23) & 3)) % 1e9;
  }
  return acc;
}

function operation(scale) {
  return inner(150 * scale) + other(150);
}

module.exports = { inner, other, operation };
