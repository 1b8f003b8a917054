/**
 * `perfgate queries FILE...`: the query analysis of the gate on captured logs from any stack
 * (Postgres logs, pg_stat_statements, perfgate JSONL, strace), and `perfgate queries diff BASE
 * HEAD`, which compares two of them the way the gate does (exit 1 on a regression).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { InputError } from '../model/errors.js';
import { compareQueries } from '../queries/compare.js';
import {
  QUERY_INPUTS,
  readQueryLogs,
  type IoLog,
  type QueryInput,
  type QueryLog,
} from '../queries/ingest/index.js';
import { compareIo, TINY_BYTES } from '../queries/ingest/strace.js';
import { queriesOptionsSchema } from '../queries/options.js';
import type { SqlDialect } from '../queries/sql-tokenizer.js';
import { EXIT_GATE_FAILED } from './exit-codes.js';
import { positiveInt } from './args.js';

const DEFAULTS = queriesOptionsSchema.parse({});

interface Flags {
  input: QueryInput;
  format: 'text' | 'json';
  nPlusOne: number;
  iterations?: number;
  dialect: SqlDialect;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return n;
}

function sharedOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--input <format>', 'input format (auto: detected from the content)')
        .choices([...QUERY_INPUTS])
        .default('auto'),
    )
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .option(
      '--n-plus-one <n>',
      'a query run at least n times in one iteration/request/session is an N+1',
      positiveInt,
      DEFAULTS.nPlusOne,
    )
    .option(
      '--iterations <n>',
      'iterations of the workload the input covers (per-iteration counts; pg_stat_statements N+1)',
      positiveInt,
    )
    .addOption(
      new Option('--dialect <dialect>', 'SQL dialect of JSONL statements without one')
        .choices(['postgres', 'mysql', 'sqlite'])
        .default('postgres'),
    );
}

export function registerQueriesCommands(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  const queries = sharedOptions(
    program
      .command('queries')
      .description(
        'analyse captured queries: Postgres logs, pg_stat_statements, perfgate JSONL, strace',
      )
      .argument('[files...]', 'log files (several files are analysed together)')
      .addHelpText(
        'after',
        '\nFormats and the Postgres settings that produce them: docs/queries.md.\n' +
          'Compare two captures: perfgate queries diff BASE HEAD',
      ),
  ).action(async (files: string[], flags: Flags) => {
    if (files.length === 0)
      throw new InputError('give at least one log file (perfgate queries FILE...)');
    const log = await readQueryLogs(files, readOptions(flags));
    process.stdout.write(
      flags.format === 'json'
        ? `${JSON.stringify(analysisJson(log), null, 2)}\n`
        : analysisText(log, files),
    );
  });

  sharedOptions(
    queries
      .command('diff')
      .description('compare two captured logs like the gate does (exit 1 on a regression)')
      .argument('<base>', 'log of the base (e.g. main)')
      .argument('<head>', 'log of the head (the pull request)'),
  )
    .option(
      '--tolerance <n>',
      'allowed increase in queries per iteration (strace: percent more syscalls, default 10)',
      nonNegative,
    )
    .action(async (baseFile: string, headFile: string, flags: Flags & { tolerance?: number }) => {
      const options = readOptions(flags);
      const base = await readQueryLogs([baseFile], options);
      const head = await readQueryLogs([headFile], options);
      if (base.type !== head.type) {
        throw new InputError(`cannot compare ${base.formats[0]} with ${head.formats[0]}`, headFile);
      }
      let regressed: boolean;
      if (base.type === 'io' && head.type === 'io') {
        const result = compareIo(base.profile, head.profile, flags.tolerance ?? 10);
        regressed = result.regressed;
        process.stdout.write(
          flags.format === 'json'
            ? `${JSON.stringify({ base: ioJson(base), head: ioJson(head), ...result }, null, 2)}\n`
            : ioDiffText(base, head, result),
        );
      } else {
        const comparison = compareQueries(
          [(base as QueryLog).attachment],
          (head as QueryLog).attachment,
          { tolerance: flags.tolerance ?? DEFAULTS.tolerance },
        )!;
        regressed = comparison.regressed;
        process.stdout.write(
          flags.format === 'json'
            ? `${JSON.stringify(comparison, null, 2)}\n`
            : queriesDiffText(comparison),
        );
      }
      if (regressed) setExitCode(EXIT_GATE_FAILED);
    });
}

function readOptions(flags: Flags) {
  return {
    input: flags.input,
    nPlusOne: flags.nPlusOne,
    dialect: flags.dialect,
    ...(flags.iterations !== undefined ? { iterations: flags.iterations } : {}),
  };
}

/** `{ statements: [{ fingerprint, sample, count }], nPlusOne: [{ fingerprint, sample, count }] }`. */
export function analysisJson(log: QueryLog | IoLog): unknown {
  if (log.type === 'io') return ioJson(log);
  return {
    input: log.formats.length === 1 ? log.formats[0] : log.formats,
    statements: log.statements.map((s) => ({
      fingerprint: s.fingerprint,
      sample: s.sample,
      count: s.count,
      kind: s.kind,
      ...(s.totalMs !== undefined ? { totalMs: s.totalMs } : {}),
    })),
    nPlusOne: log.attachment.nPlusOne.map((f) => ({
      fingerprint: f.fingerprint,
      sample: f.sample,
      count: f.perIteration,
      ...(f.callSite ? { callSite: f.callSite } : {}),
    })),
    perIteration: log.attachment.perIteration,
    httpPerIteration: log.attachment.httpPerIteration,
    iterations: log.attachment.iterations,
  };
}

function ioJson(log: IoLog): unknown {
  const p = log.profile;
  return {
    input: 'strace',
    source: p.source,
    totalCalls: p.totalCalls,
    totalSeconds: p.totalSeconds,
    syscalls: p.syscalls,
    unbufferedIo: p.tinyIo,
  };
}

function analysisText(log: QueryLog | IoLog, files: string[]): string {
  const lines: string[] = [];
  if (log.type === 'io') {
    const p = log.profile;
    lines.push(
      `${files.join(', ')} (${p.source}): ${p.totalCalls} syscalls, ${p.totalSeconds} s in syscalls`,
    );
    for (const s of p.syscalls.slice(0, 15)) {
      lines.push(
        `  ${String(s.calls).padStart(8)}  ${(s.seconds ?? 0).toFixed(6)} s  ${s.name}${s.errors ? ` (${s.errors} errors)` : ''}`,
      );
    }
    for (const t of p.tinyIo) {
      lines.push(
        `  unbuffered I/O: ${t.calls} ${t.syscall}() calls of < ${TINY_BYTES} bytes on fd ${t.fd} (${t.bytes} bytes in all)`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
  const total = log.statements.reduce((sum, s) => sum + s.count, 0);
  lines.push(
    `${files.join(', ')} (${[...new Set(log.formats)].join(', ')}): ${total} statements/requests, ${log.statements.length} fingerprints`,
  );
  for (const s of log.statements.slice(0, 30)) {
    const time =
      s.totalMs !== undefined ? `${s.totalMs.toFixed(3)} ms`.padStart(12) : ''.padStart(12);
    lines.push(`  ${String(s.count).padStart(7)} ${time}  ${oneLine(s.fingerprint)}`);
  }
  if (log.statements.length > 30) lines.push(`  … ${log.statements.length - 30} more`);
  if (log.attachment.nPlusOne.length === 0) lines.push('No N+1 pattern.');
  for (const f of log.attachment.nPlusOne) {
    const where = f.callSite ? `, from ${f.callSite.file}:${f.callSite.line}` : '';
    lines.push(`N+1: ${oneLine(f.fingerprint)} × ${f.perIteration}${where}`);
  }
  return `${lines.join('\n')}\n`;
}

function queriesDiffText(c: NonNullable<ReturnType<typeof compareQueries>>): string {
  const lines = [
    `queries per iteration: ${c.base} → ${c.head}; HTTP: ${c.httpBase ?? 0} → ${c.httpHead ?? 0}`,
  ];
  for (const ch of c.changed ?? [])
    lines.push(`  ${ch.base} → ${ch.head}  ${oneLine(ch.fingerprint)}`);
  for (const f of c.nPlusOne) {
    const where = f.callSite ? `, from ${f.callSite.file}:${f.callSite.line}` : '';
    lines.push(
      `${f.new ? 'NEW N+1' : 'N+1'}: ${oneLine(f.fingerprint)} × ${f.perIteration}${where}`,
    );
  }
  lines.push(
    c.regressed ? `REGRESSION:\n${c.reasons.map((r) => `  ${r}`).join('\n')}` : 'no regression',
  );
  return `${lines.join('\n')}\n`;
}

function ioDiffText(base: IoLog, head: IoLog, result: ReturnType<typeof compareIo>): string {
  const lines = [`syscalls: ${base.profile.totalCalls} → ${head.profile.totalCalls}`];
  for (const c of result.changed.slice(0, 15)) lines.push(`  ${c.base} → ${c.head}  ${c.name}`);
  lines.push(
    result.regressed
      ? `REGRESSION:\n${result.reasons.map((r) => `  ${r}`).join('\n')}`
      : 'no regression',
  );
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}
