import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MailError } from '../../domain/errors';

/**
 * The redirect target of a native app's authorization request (RFC 8252 §7.3): an HTTP server on
 * the loopback interface, on a port the system picks, that waits for exactly one redirect carrying
 * our `state`, answers the browser with a short page, and closes.
 */

export const REDIRECT_PATH = '/oauth2/callback';
/** RFC 8252 §8.3: the IP literal, not "localhost", which a hosts file or resolver could redirect. */
const LOOPBACK_HOST = '127.0.0.1';
/** Long enough to sign in and approve (with a second factor), short enough not to listen forever. */
export const AUTHORIZATION_TIMEOUT_MS = 5 * 60_000;

export interface AuthorizationCode {
  code: string;
}

export interface LoopbackRedirect {
  /** The redirect_uri to register and send: http://127.0.0.1:<port>/oauth2/callback */
  redirectUri: string;
  /** Resolves with the code of the first redirect carrying `state`; rejects on error or timeout. */
  waitForCode(): Promise<AuthorizationCode>;
  close(): Promise<void>;
}

const PAGE_DONE =
  '<!doctype html><meta charset="utf-8"><title>Estafeta</title><p>Signed in. You can close this window and return to Estafeta.</p>';
const PAGE_FAILED =
  '<!doctype html><meta charset="utf-8"><title>Estafeta</title><p>Sign-in did not complete. Return to Estafeta to try again.</p>';

function sameState(received: string | null, expected: string): boolean {
  if (received === null) return false;
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function reply(response: ServerResponse, status: number, page: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'",
    // The code is in this URL: keep it out of any Referer the page could send.
    'Referrer-Policy': 'no-referrer',
  });
  response.end(page);
}

/** RFC 6749 §4.1.2.1: the error a provider redirects with, as the user's sentence. */
function redirectError(error: string, description: string | null): MailError {
  if (error === 'access_denied') {
    return new MailError('CANCELLED', 'Sign-in was cancelled in the browser.', { retryable: false });
  }
  return new MailError('AUTH_FAILED', 'The provider did not complete the sign-in.', {
    detail: description === null ? error : `${error}: ${description}`,
    retryable: false,
  });
}

export async function startLoopbackRedirect(
  expectedState: string,
  timeoutMs: number = AUTHORIZATION_TIMEOUT_MS,
): Promise<LoopbackRedirect> {
  let settle: ((outcome: { code: string } | { error: MailError }) => void) | null = null;
  const outcome = new Promise<{ code: string } | { error: MailError }>((resolve) => {
    settle = (value) => {
      settle = null;
      resolve(value);
    };
  });

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', `http://${LOOPBACK_HOST}`);
    if (request.method !== 'GET' || url.pathname !== REDIRECT_PATH) {
      reply(response, 404, PAGE_FAILED);
      return;
    }
    // A redirect without our state is someone else's (or a forged one): ignore it, keep waiting.
    if (!sameState(url.searchParams.get('state'), expectedState)) {
      reply(response, 400, PAGE_FAILED);
      return;
    }
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (error !== null) {
      reply(response, 200, PAGE_FAILED);
      settle?.({ error: redirectError(error, url.searchParams.get('error_description')) });
    } else if (code !== null && code !== '') {
      reply(response, 200, PAGE_DONE);
      settle?.({ code });
    } else {
      reply(response, 400, PAGE_FAILED);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  const timer = setTimeout(() => {
    settle?.({
      error: new MailError('TIMEOUT', 'Sign-in in the browser took too long. Try again.', {
        retryable: true,
      }),
    });
  }, timeoutMs);

  return {
    redirectUri: `http://${LOOPBACK_HOST}:${port}${REDIRECT_PATH}`,
    async waitForCode() {
      const result = await outcome;
      clearTimeout(timer);
      await close();
      if ('error' in result) throw result.error;
      return { code: result.code };
    },
    async close() {
      clearTimeout(timer);
      settle?.({ error: new MailError('CANCELLED', 'Sign-in was cancelled.', { retryable: false }) });
      await close();
    },
  };
}
