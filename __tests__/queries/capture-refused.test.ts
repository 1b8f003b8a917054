// Refused connections are requests the code made: counted, and counted as failed.
import http from 'node:http';
import net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureQueries, installQueryCapture } from '../../src/queries/capture.js';
import { options, passContext, projectRoot } from './helpers.js';

beforeAll(async () => {
  await installQueryCapture(`${projectRoot}/__tests__/queries/helpers.ts`);
});

/** A loopback port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('HTTP requests that fail to connect', () => {
  it('counts refused fetch and node:http requests, and counts them as failed', async () => {
    const port = await closedPort();
    const attachment = await captureQueries(
      {
        name: 'refused',
        fn: async () => {
          await fetch(`http://127.0.0.1:${port}/users`).catch(() => undefined);
          await new Promise<void>((resolve) =>
            http.get(`http://127.0.0.1:${port}/health`).on('error', () => resolve()),
          );
        },
      },
      passContext('refused'),
      options({ iterations: 2 }),
    );
    expect(attachment!.httpPerIteration).toBe(2);
    expect(attachment!.httpFailedPerIteration).toBe(2);
    const failed = attachment!.fingerprints.map((f) => [f.fingerprint, f.failed]);
    expect(failed.sort()).toEqual([
      ['GET /health', 1],
      ['GET /users', 1],
    ]);
  });
});
