/**
 * strace, for any language: `strace -c` summaries and `strace -f -T` traces (with or without
 * `-o`, pids, `-tt` timestamps). Syscall counts and time, and runs of tiny reads/writes on one
 * file descriptor flagged as unbuffered I/O. Pure (text in, profile out).
 */
import { InputError } from '../../model/errors.js';
import type { SyscallSummary } from '../../model/queries.js';

export interface TinyIoFinding {
  syscall: string;
  fd: number;
  /** Calls that moved fewer than TINY_BYTES bytes. */
  calls: number;
  /** Bytes moved by those calls. */
  bytes: number;
}

export interface IoProfile {
  source: 'strace -c' | 'strace -T';
  syscalls: SyscallSummary[];
  totalCalls: number;
  totalSeconds: number;
  tinyIo: TinyIoFinding[];
}

/** A read or write of fewer bytes than this is "tiny". */
export const TINY_BYTES = 512;
/** This many tiny reads/writes on one descriptor look like unbuffered I/O. */
export const TINY_IO_MIN_CALLS = 100;
const IO_CALLS = new Set([
  'read',
  'write',
  'pread64',
  'pwrite64',
  'recvfrom',
  'sendto',
  'recv',
  'send',
  'readv',
  'writev',
]);

export function looksLikeStraceSummary(text: string): boolean {
  return /^\s*% time\s+seconds\s+usecs\/call\s+calls/m.test(text);
}

export function looksLikeStraceTrace(text: string): boolean {
  return /^(?:\[pid\s+\d+\]\s+|\d+\s+)?(?:\d[\d:.]*\s+)?[a-z_][a-z0-9_]*\(.*\)\s+=\s+.*$/m.test(
    text.slice(0, 20_000),
  );
}

export function parseStrace(text: string, file: string): IoProfile {
  if (looksLikeStraceSummary(text)) return parseStraceSummary(text, file);
  if (looksLikeStraceTrace(text)) return parseStraceTrace(text);
  throw new InputError('not strace output (expected `strace -c` or `strace -f -T` output)', file);
}

export function parseStraceSummary(text: string, file: string): IoProfile {
  const syscalls: SyscallSummary[] = [];
  for (const line of text.split(/\r?\n/)) {
    // % time, seconds, usecs/call, calls, [errors], syscall
    const match = /^\s*([\d.]+)\s+([\d.]+)\s+(\d+)\s+(\d+)\s+(?:(\d+)\s+)?([a-z_][\w]*)\s*$/.exec(
      line,
    );
    if (!match || match[6] === 'total') continue;
    syscalls.push({
      name: match[6]!,
      calls: Number(match[4]),
      ...(match[5] ? { errors: Number(match[5]) } : {}),
      seconds: Number(match[2]),
    });
  }
  if (syscalls.length === 0)
    throw new InputError('strace -c summary without any syscall row', file);
  return finish('strace -c', syscalls, []);
}

const TRACE_LINE =
  /^(?:\[pid\s+(\d+)\]\s+|(\d+)\s+)?(?:\d[\d:.]*\s+)?(?:<\.\.\. ([a-z_]\w*) resumed>|([a-z_]\w*)\()(.*?)(?:\s+=\s+(-?\d+|\?|0x[0-9a-f]+)(?:\s[^<]*)?)?(?:\s+<([\d.]+)>)?\s*$/;

export function parseStraceTrace(text: string): IoProfile {
  const bySyscall = new Map<string, SyscallSummary>();
  const tiny = new Map<string, TinyIoFinding>();
  // `read(3, … <unfinished ...>` then `<... read resumed> …) = 5 <0.0001>`: keep the fd.
  const pendingFd = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('+++') || line.startsWith('---') || line.trim() === '') continue;
    const match = TRACE_LINE.exec(line);
    if (!match) continue;
    const pid = match[1] ?? match[2] ?? '';
    const resumed = match[3];
    const name = (resumed ?? match[4])!;
    const rest = match[5] ?? '';
    if (!resumed && line.includes('<unfinished ...>')) {
      const fd = /^(\d+),/.exec(rest);
      if (fd) pendingFd.set(`${pid}:${name}`, Number(fd[1]));
      continue; // counted when it resumes
    }
    const entry = bySyscall.get(name) ?? { name, calls: 0, errors: 0, seconds: 0 };
    entry.calls++;
    const result = match[6];
    if (result !== undefined && result.startsWith('-')) entry.errors = (entry.errors ?? 0) + 1;
    if (match[7]) entry.seconds = (entry.seconds ?? 0) + Number(match[7]);
    bySyscall.set(name, entry);
    if (IO_CALLS.has(name) && result !== undefined && /^\d+$/.test(result)) {
      const bytes = Number(result);
      const fd = resumed
        ? pendingFd.get(`${pid}:${name}`)
        : Number(/^(\d+),/.exec(rest)?.[1] ?? NaN);
      if (resumed) pendingFd.delete(`${pid}:${name}`);
      if (bytes > 0 && bytes < TINY_BYTES && fd !== undefined && Number.isFinite(fd)) {
        const key = `${name}:${fd}`;
        const finding = tiny.get(key) ?? { syscall: name, fd, calls: 0, bytes: 0 };
        finding.calls++;
        finding.bytes += bytes;
        tiny.set(key, finding);
      }
    }
  }
  const syscalls = [...bySyscall.values()].map((s) => ({
    name: s.name,
    calls: s.calls,
    ...(s.errors ? { errors: s.errors } : {}),
    seconds: Math.round((s.seconds ?? 0) * 1e6) / 1e6,
  }));
  return finish(
    'strace -T',
    syscalls,
    [...tiny.values()].filter((t) => t.calls >= TINY_IO_MIN_CALLS),
  );
}

function finish(
  source: IoProfile['source'],
  syscalls: SyscallSummary[],
  tinyIo: TinyIoFinding[],
): IoProfile {
  syscalls.sort((a, b) => b.calls - a.calls || a.name.localeCompare(b.name));
  tinyIo.sort((a, b) => b.calls - a.calls);
  return {
    source,
    syscalls,
    totalCalls: syscalls.reduce((sum, s) => sum + s.calls, 0),
    totalSeconds: Math.round(syscalls.reduce((sum, s) => sum + (s.seconds ?? 0), 0) * 1e6) / 1e6,
    tinyIo,
  };
}

/** Compares two I/O profiles like query counts: more syscalls or new unbuffered I/O regress. */
export function compareIo(
  base: IoProfile,
  head: IoProfile,
  tolerancePercent: number,
): {
  regressed: boolean;
  reasons: string[];
  changed: Array<{ name: string; base: number; head: number }>;
} {
  const reasons: string[] = [];
  const limit = base.totalCalls * (1 + tolerancePercent / 100);
  if (head.totalCalls > limit) {
    reasons.push(
      `syscalls ${base.totalCalls} → ${head.totalCalls} (more than ${tolerancePercent}% more)`,
    );
  }
  const baseTiny = new Set(base.tinyIo.map((t) => t.syscall));
  for (const t of head.tinyIo) {
    if (!baseTiny.has(t.syscall)) {
      reasons.push(
        `new unbuffered I/O: ${t.calls} ${t.syscall}() calls of < ${TINY_BYTES} bytes on fd ${t.fd}`,
      );
    }
  }
  const baseCounts = new Map(base.syscalls.map((s) => [s.name, s.calls]));
  const changed = head.syscalls
    .map((s) => ({ name: s.name, base: baseCounts.get(s.name) ?? 0, head: s.calls }))
    .filter((c) => c.base !== c.head);
  for (const s of base.syscalls)
    if (!head.syscalls.some((h) => h.name === s.name))
      changed.push({ name: s.name, base: s.calls, head: 0 });
  changed.sort((a, b) => Math.abs(b.head - b.base) - Math.abs(a.head - a.base));
  return { regressed: reasons.length > 0, reasons, changed };
}
