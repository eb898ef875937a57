// Models are executable input to a native runtime, so where they may come from is narrow: https
// anywhere, plain http only from this machine (local model servers and tests), nothing else.

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** Throws unless `url` may be fetched: https, or http to 127.0.0.1, ::1 or localhost. */
export function assertFetchAllowed(url: URL, what: string): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw new Error(
    `Refusing to download ${what} from ${url.href}: only https:// URLs are allowed ` +
      '(plain http:// only from this machine: 127.0.0.1, ::1 or localhost)',
  );
}

/** Parses a URL given by the user or a descriptor, with an error that says where it came from. */
export function parseUrl(text: string, base: URL | undefined, what: string): URL {
  try {
    return new URL(text, base);
  } catch {
    throw new Error(`${what} is not a valid URL: ${text}`);
  }
}
