// The environment fingerprint of a Run: what compare needs to say "different machines".
import { availableParallelism, cpus, platform, release } from 'node:os';
import type { Env } from '../model/run.js';

/** `node` is the version the bench children ran (which may differ from perfgate's own node). */
export function readEnv(node: string, env: NodeJS.ProcessEnv = process.env): Env {
  const cpuList = cpus();
  return {
    os: `${platform()} ${release()}`,
    cpu: cpuList[0]?.model.trim() || 'unknown',
    cores: typeof availableParallelism === 'function' ? availableParallelism() : cpuList.length,
    node,
    runner: env.GITHUB_ACTIONS === 'true' ? 'github-actions' : 'local',
  };
}
