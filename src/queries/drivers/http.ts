/**
 * Outgoing HTTP: counted from Node's diagnostics channels (`undici:request:create` for fetch
 * and undici, `http.client.request.start` for node:http/https and the libraries built on it).
 * Those fire after an async hop, where the stack no longer shows the caller, so the entry points
 * (fetch, http(s).request/get) carry the caller's stack along (`withEntryStack`).
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { recordHttp, recorder, withEntryStack, type RecordedEvent } from '../recorder.js';
import { patchMethod } from './resolve.js';

let installed = false;

interface UndiciRequest {
  method?: string;
  origin?: string | URL;
  path?: string;
}
interface NodeClientRequest {
  method?: string;
  protocol?: string;
  host?: string;
  path?: string;
}

/** The recorded event of each request in flight, so that a failure can be marked on it. */
const recorded = new WeakMap<object, RecordedEvent>();

/** A request that failed before its response (refused, reset, DNS) counts as a failed request. */
function markFailed(message: unknown): void {
  const request = (message as { request?: object }).request;
  const event = request ? recorded.get(request) : undefined;
  if (event) event.failed = true;
}

export function instrumentHttp(): void {
  if (installed) return;
  installed = true;
  diagnosticsChannel.subscribe('undici:request:create', (message) => {
    if (!recorder.on) return;
    const request = (message as { request?: UndiciRequest }).request;
    if (!request) return;
    const origin = request.origin ? String(request.origin).replace(/\/$/, '') : '';
    const method = request.method ?? 'GET';
    recorded.set(request, recordHttp('undici', method, `${origin}${request.path ?? '/'}`));
  });
  diagnosticsChannel.subscribe('http.client.request.start', (message) => {
    if (!recorder.on) return;
    const request = (message as { request?: NodeClientRequest }).request;
    if (!request) return;
    const origin = request.host ? `${request.protocol ?? 'http:'}//${request.host}` : '';
    recorded.set(
      request,
      recordHttp('http', request.method ?? 'GET', `${origin}${request.path ?? '/'}`),
    );
  });
  diagnosticsChannel.subscribe('undici:request:error', markFailed);
  diagnosticsChannel.subscribe('http.client.request.error', markFailed);
  for (const module of [http, https]) {
    patchMethod(module, 'request', withEntryStack);
    patchMethod(module, 'get', withEntryStack);
  }
  if (typeof globalThis.fetch === 'function') patchMethod(globalThis, 'fetch', withEntryStack);
  // `import { request } from 'node:http'` in user code sees the wrapped functions too.
  syncBuiltinESMExports();
}
