// The action's log while bench code runs. Names and output come from pull-request code: every
// line is neutralized (no control characters, no line starting a workflow command), and the whole
// run sits inside `::stop-commands::TOKEN` … `::TOKEN::`, so that the runner ignores workflow
// commands in it even if one slipped through. Annotations perfgate itself raises meanwhile are
// held back and issued after the block, where the runner reads them again.
import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import type { ProgressEvent } from '../runner/index.js';
import { neutralizeFields, neutralizeLogLine } from '../text/neutralize.js';

export interface ActionLog {
  onProgress(event: ProgressEvent): void;
  onOutput(file: string, line: string, stream: 'stdout' | 'stderr'): void;
}

/** Runs `work` with workflow commands stopped, logging its progress and bench output safely. */
export async function withBenchLog<T>(work: (log: ActionLog) => Promise<T>): Promise<T> {
  const token = randomBytes(16).toString('hex');
  const deferred: Array<() => void> = [];
  const log: ActionLog = {
    onProgress(raw) {
      const event = neutralizeFields(raw, neutralizeLogLine);
      switch (event.type) {
        case 'discovered':
          core.info(`${event.files.length} bench file(s)`);
          break;
        case 'file-start':
          core.info(`[${event.index + 1}/${event.total}] ${event.file}`);
          break;
        case 'task-end':
          core.info(`  ${event.task}${event.error ? `: FAILED ${event.error}` : ''}`);
          break;
        case 'file-end':
          // core.error escapes its message; the raw text goes into the annotation.
          if (raw.type === 'file-end' && raw.error) {
            const { file, error } = raw;
            deferred.push(() => core.error(`${file}: ${error}`, { file }));
          }
          break;
        default:
          break;
      }
    },
    onOutput(file, line) {
      core.info(neutralizeLogLine(`[${file}] ${line}`));
    },
  };
  process.stdout.write(`::stop-commands::${token}\n`);
  try {
    return await work(log);
  } finally {
    process.stdout.write(`::${token}::\n`);
    for (const issue of deferred) issue();
  }
}
