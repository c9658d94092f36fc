import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFetchText } from '../../../../../src-main/accounts/autoconfig/http-fetch';
import { MailError } from '../../../../../src-main/domain/errors';
import { startHttpStandIn, type HttpStandIn } from '../../../../support/http-stand-in';

let http: HttpStandIn;
const live = (): AbortSignal => new AbortController().signal;

beforeEach(async () => {
  http = await startHttpStandIn();
});
afterEach(async () => {
  await http.close();
});

async function failureOf(promise: Promise<unknown>): Promise<MailError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MailError);
  return error as MailError;
}

describe('fetching config files', () => {
  it('returns the body of a 200 and only the status otherwise', async () => {
    http.setRoute('/ok', { status: 200, body: '<clientConfig/>' });
    http.setRoute('/gone', { status: 410, body: 'an error page nobody should parse' });
    const fetchText = createFetchText();
    expect(await fetchText(http.url('/ok'), live())).toEqual({ status: 200, body: '<clientConfig/>' });
    expect(await fetchText(http.url('/gone'), live())).toEqual({ status: 410, body: '' });
  });

  it('follows a few redirects, relative or absolute, and stops after the limit', async () => {
    http.setRoute('/a', { status: 301, headers: { location: '/b' } });
    http.setRoute('/b', { status: 302, headers: { location: http.url('/c') } });
    http.setRoute('/c', { status: 200, body: 'done' });
    expect((await createFetchText()(http.url('/a'), live())).body).toBe('done');

    http.setRoute('/loop', { status: 307, headers: { location: '/loop' } });
    const error = await failureOf(createFetchText({ maxRedirects: 3 })(http.url('/loop'), live()));
    expect(error.message).toMatch(/redirected too often/);
    expect(http.requested().filter((path) => path === '/loop')).toHaveLength(4);
  });

  it('refuses redirects to other schemes and from https down to http', async () => {
    http.setRoute('/file', { status: 301, headers: { location: 'file:///etc/passwd' } });
    expect((await failureOf(createFetchText()(http.url('/file'), live()))).message).toMatch(/unsafe/);

    // An https origin cannot be served here; a stand-in fetch plays one that redirects to http.
    const downgrading = (async () =>
      new Response(null, { status: 302, headers: { location: http.url('/ok') } })) as typeof fetch;
    const error = await failureOf(
      createFetchText({ fetchImpl: downgrading })('https://autoconfig.example.org/', live()),
    );
    expect(error.message).toMatch(/unsafe/);
  });

  it('stops reading a body larger than the cap, declared or not', async () => {
    http.setRoute('/big', { status: 200, body: 'x'.repeat(2_000) });
    const error = await failureOf(createFetchText({ maxBytes: 1_000 })(http.url('/big'), live()));
    expect(error.message).toMatch(/too large/);

    const chunked = (async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(new Uint8Array(600));
          },
        }),
        { status: 200 },
      )) as typeof fetch;
    const streamed = await failureOf(
      createFetchText({ maxBytes: 1_000, fetchImpl: chunked })('http://x.test/', live()),
    );
    expect(streamed.message).toMatch(/too large/);
  });

  it('gives up when the signal aborts', async () => {
    http.setRoute('/slow', { status: 200, body: 'late', delayMs: 60_000 });
    const controller = new AbortController();
    const pending = createFetchText()(http.url('/slow'), controller.signal);
    await expect.poll(() => http.requested()).toContain('/slow');
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => http.events).toContainEqual({ kind: 'abandoned', path: '/slow' });
  });
});
