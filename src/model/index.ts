export * from './run.js';
export * from './profile.js';
export * from './queries.js';
export * from './memory.js';
export * from './comparison.js';
export * from './errors.js';
export * from './io.js';
