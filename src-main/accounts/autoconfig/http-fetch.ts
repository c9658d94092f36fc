import { MailError } from '../../domain/errors';
import type { FetchText, FetchTextResult } from './discovery-options';

/** Config files are a few KiB; anything much larger is not one. */
export const MAX_CONFIG_BYTES = 256 * 1024;
/** Thunderbird follows a few redirects (autoconfig.example.com -> a hoster's shared server). */
export const MAX_REDIRECTS = 3;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export interface FetchTextOptions {
  maxBytes?: number;
  maxRedirects?: number;
  /** The global fetch by default; a parameter so that tests can count requests. */
  fetchImpl?: typeof fetch;
}

function refused(message: string, detail: string): MailError {
  return new MailError('SERVER_REJECTED', message, { detail, retryable: false });
}

/** Next hop of a redirect: http(s) only, and never from https down to http. */
function redirectTarget(from: URL, location: string | null): URL {
  if (location === null) throw refused('The settings server sent a broken redirect.', from.href);
  const target = new URL(location, from);
  const isHttp = target.protocol === 'http:' || target.protocol === 'https:';
  if (!isHttp || (from.protocol === 'https:' && target.protocol === 'http:')) {
    throw refused('The settings server redirected to an unsafe address.', `${from.href} -> ${target.href}`);
  }
  return target;
}

/** Reads at most `maxBytes`, cancelling the download as soon as the body is too big. */
async function readCapped(response: Response, maxBytes: number, url: string): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw refused('The settings file is too large.', url);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw refused('The settings file is too large.', url);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

/**
 * The FetchText discovery uses in the app: global fetch (undici) with redirects followed by hand,
 * so that each hop is checked and counted, and a size cap on the body. Cookies and credentials are
 * never sent. Rejects on network errors, too many redirects, unsafe redirects or oversize bodies.
 */
export function createFetchText(options: FetchTextOptions = {}): FetchText {
  const maxBytes = options.maxBytes ?? MAX_CONFIG_BYTES;
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  const fetchImpl = options.fetchImpl ?? fetch;
  return async (url: string, signal: AbortSignal): Promise<FetchTextResult> => {
    let current = new URL(url);
    for (let hop = 0; ; hop++) {
      const response = await fetchImpl(current, {
        redirect: 'manual',
        credentials: 'omit',
        headers: { accept: 'application/xml, text/xml;q=0.9, */*;q=0.1' },
        signal,
      });
      if (REDIRECT_STATUSES.has(response.status)) {
        await response.body?.cancel();
        if (hop >= maxRedirects) throw refused('The settings server redirected too often.', url);
        current = redirectTarget(current, response.headers.get('location'));
        continue;
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        return { status: response.status, body: '' };
      }
      return { status: response.status, body: await readCapped(response, maxBytes, current.href) };
    }
  };
}
