/**
 * End to end: with CPU profiles on, a regressing PR uploads the raw profiles and the differential
 * flame graph as one artifact, and the comment links it from the regressed benchmark.
 */
import { describe, expect, it } from 'vitest';
import { actionSuite } from '../helpers/action-suite.js';

// As in flow.test.ts: a ~12x regression against a 200% threshold, far from load noise.
const suite = actionSuite({
  project: { work: 1, config: { threshold: 200, profile: { enabled: true, duration: 150 } } },
});
const sha = (c: string) => c.repeat(40);

describe('action: profiles artifact', () => {
  it('uploads profiles and flame graphs of a regressing PR and links them in the comment', async () => {
    const { github, project } = suite;
    const { result: stored } = await suite.push(sha('1'));
    expect(stored.code, stored.log + stored.stderr).toBe(0);
    // A baseline push uploads no profiles artifact: nothing to review there.
    expect(github.artifacts.some((a) => a.name.startsWith('perfgate-profiles'))).toBe(false);

    const pull = github.addPull({ number: 11, headSha: sha('b') });
    await project.setWork(12);
    const { run, result } = await suite.pull(pull, { ref: `refs/pull/${pull.number}/merge` });
    expect(result.code, result.log + result.stderr).toBe(1);
    const artifact = github.artifacts.find((a) => a.name === 'perfgate-profiles-perf');
    expect(artifact, result.log).toBeDefined();
    expect(artifact!.finalized).toBe(true);
    const zip = (await github.readBlob(artifact!)).toString('latin1');
    // The zip's central directory names its entries: raw profiles and the regressed flame graph.
    expect(zip).toMatch(/profiles\/[^\s]*checksum[^\s]*\.cpuprofile/);
    expect(zip).toMatch(/flamegraphs\/[^\s]*checksum[^\s]*\.diff\.svg/);
    expect(zip).toMatch(/flamegraphs\/[^\s]*checksum[^\s]*\.speedscope\.json/);
    const body = pull.comments[0]!.body;
    expect(body).toContain(`/actions/runs/${run.id}/artifacts/${artifact!.id}`);
    expect(body).toMatch(/checksum[^\n]*flame graph/);
  });
});
