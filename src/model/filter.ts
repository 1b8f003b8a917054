import { InputError } from '../model/errors.js';

/**
 * `--filter`: a substring of the benchmark id, or `/regex/flags`. An invalid regex is a usage
 * error, reported before any bench runs.
 */
export function makeIdFilter(pattern: string | undefined): (id: string) => boolean {
  if (pattern === undefined || pattern === '') return () => true;
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (!regex) return (id) => id.includes(pattern);
  let compiled: RegExp;
  try {
    compiled = new RegExp(regex[1], regex[2].replace(/[gy]/g, ''));
  } catch (error) {
    throw new InputError(`invalid --filter regex ${pattern}: ${(error as Error).message}`);
  }
  return (id) => compiled.test(id);
}
