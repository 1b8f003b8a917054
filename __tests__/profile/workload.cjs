// Synthetic benchmark for the profile tests (plain CommonJS, loaded with Node's own require so
// that line numbers are the file's own). The functions are too big for V8 to inline (the
// sampling profiler attributes inlined code to the caller, as DevTools does), so their samples
// stay theirs. `operation(scale)` gives `inner` `scale` times the work of `other`; four more
// functions do fixed work, so that a profile has a "typical" unchanged majority.
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
  return inner(150 * scale) + other(150) + atan(60) + log(60) + exp(60) + hypot(60);
}

function atan(n) {
  let acc = 0;
  for (let i = 0; i < n; i += 1) {
    acc = (acc + Math.atan(i + 0) * ((i ^ 0) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 1) * ((i ^ 1) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 2) * ((i ^ 2) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 3) * ((i ^ 3) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 4) * ((i ^ 4) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 5) * ((i ^ 5) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 6) * ((i ^ 6) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 7) * ((i ^ 7) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 8) * ((i ^ 8) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 9) * ((i ^ 9) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 10) * ((i ^ 10) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 11) * ((i ^ 11) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 12) * ((i ^ 12) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 13) * ((i ^ 13) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 14) * ((i ^ 14) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 15) * ((i ^ 15) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 16) * ((i ^ 16) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 17) * ((i ^ 17) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 18) * ((i ^ 18) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 19) * ((i ^ 19) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 20) * ((i ^ 20) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 21) * ((i ^ 21) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 22) * ((i ^ 22) & 5)) % 1e9;
    acc = (acc + Math.atan(i + 23) * ((i ^ 23) & 5)) % 1e9;
  }
  return acc;
}

function log(n) {
  let acc = 0;
  for (let i = 0; i < n; i += 1) {
    acc = (acc + Math.log1p(i + 0) * ((i ^ 0) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 1) * ((i ^ 1) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 2) * ((i ^ 2) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 3) * ((i ^ 3) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 4) * ((i ^ 4) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 5) * ((i ^ 5) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 6) * ((i ^ 6) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 7) * ((i ^ 7) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 8) * ((i ^ 8) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 9) * ((i ^ 9) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 10) * ((i ^ 10) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 11) * ((i ^ 11) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 12) * ((i ^ 12) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 13) * ((i ^ 13) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 14) * ((i ^ 14) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 15) * ((i ^ 15) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 16) * ((i ^ 16) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 17) * ((i ^ 17) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 18) * ((i ^ 18) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 19) * ((i ^ 19) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 20) * ((i ^ 20) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 21) * ((i ^ 21) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 22) * ((i ^ 22) & 6)) % 1e9;
    acc = (acc + Math.log1p(i + 23) * ((i ^ 23) & 6)) % 1e9;
  }
  return acc;
}

function exp(n) {
  let acc = 0;
  for (let i = 0; i < n; i += 1) {
    acc = (acc + Math.expm1(i + 0) * ((i ^ 0) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 1) * ((i ^ 1) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 2) * ((i ^ 2) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 3) * ((i ^ 3) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 4) * ((i ^ 4) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 5) * ((i ^ 5) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 6) * ((i ^ 6) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 7) * ((i ^ 7) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 8) * ((i ^ 8) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 9) * ((i ^ 9) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 10) * ((i ^ 10) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 11) * ((i ^ 11) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 12) * ((i ^ 12) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 13) * ((i ^ 13) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 14) * ((i ^ 14) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 15) * ((i ^ 15) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 16) * ((i ^ 16) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 17) * ((i ^ 17) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 18) * ((i ^ 18) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 19) * ((i ^ 19) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 20) * ((i ^ 20) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 21) * ((i ^ 21) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 22) * ((i ^ 22) & 1)) % 1e9;
    acc = (acc + Math.expm1(i + 23) * ((i ^ 23) & 1)) % 1e9;
  }
  return acc;
}

function hypot(n) {
  let acc = 0;
  for (let i = 0; i < n; i += 1) {
    acc = (acc + Math.asinh(i + 0) * ((i ^ 0) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 1) * ((i ^ 1) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 2) * ((i ^ 2) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 3) * ((i ^ 3) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 4) * ((i ^ 4) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 5) * ((i ^ 5) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 6) * ((i ^ 6) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 7) * ((i ^ 7) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 8) * ((i ^ 8) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 9) * ((i ^ 9) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 10) * ((i ^ 10) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 11) * ((i ^ 11) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 12) * ((i ^ 12) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 13) * ((i ^ 13) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 14) * ((i ^ 14) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 15) * ((i ^ 15) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 16) * ((i ^ 16) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 17) * ((i ^ 17) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 18) * ((i ^ 18) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 19) * ((i ^ 19) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 20) * ((i ^ 20) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 21) * ((i ^ 21) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 22) * ((i ^ 22) & 2)) % 1e9;
    acc = (acc + Math.asinh(i + 23) * ((i ^ 23) & 2)) % 1e9;
  }
  return acc;
}

module.exports = { inner, other, operation };
