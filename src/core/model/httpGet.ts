// GET over node:http/https (which VS Code routes through the user's proxy settings) with the
// redirect and scheme rules of urlPolicy applied to every hop.
import type { IncomingMessage } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import { assertFetchAllowed, parseUrl } from './urlPolicy';

export const MAX_REDIRECTS = 5;

export class HttpStatusError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    statusText: string,
    what: string,
  ) {
    super(`Downloading ${what} from ${url} failed: HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
    this.name = 'HttpStatusError';
  }
}

export interface OpenedResponse {
  response: IncomingMessage;
  /** The URL that finally answered, after redirects. */
  url: URL;
  /** From Content-Length; undefined when the server did not say. */
  totalBytes: number | undefined;
}

/** Opens a 200 response for `url`, following up to MAX_REDIRECTS redirects. The caller must consume or destroy it. */
export async function openHttpGet(url: URL, what: string, signal?: AbortSignal): Promise<OpenedResponse> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    assertFetchAllowed(current, what);
    const response = await requestOnce(current, signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.resume();
      if (redirects >= MAX_REDIRECTS) throw new Error(`Downloading ${what} from ${url.href} failed: more than ${MAX_REDIRECTS} redirects`);
      const next = parseUrl(location, current, `Redirect from ${current.href}`);
      if (current.protocol === 'https:' && next.protocol !== 'https:') {
        throw new Error(`Downloading ${what}: refusing the redirect from ${current.href} to non-https ${next.href}`);
      }
      current = next;
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new HttpStatusError(current.href, status, response.statusMessage ?? '', what);
    }
    const length = Number(response.headers['content-length']);
    return { response, url: current, totalBytes: Number.isSafeInteger(length) && length >= 0 ? length : undefined };
  }
}

/** Fetches a small text document (a descriptor), refusing anything larger than `maxBytes`. */
export async function fetchText(url: URL, what: string, maxBytes: number, signal?: AbortSignal): Promise<string> {
  const { response } = await openHttpGet(url, what, signal);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw new Error(`${what} at ${url.href} is larger than ${maxBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    response.destroy();
    throw signal?.aborted ? signal.reason : error;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function requestOnce(url: URL, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { signal, headers: { 'user-agent': 'dataset-curator', accept: '*/*' } }, resolve);
    request.on('error', reject);
  });
}
