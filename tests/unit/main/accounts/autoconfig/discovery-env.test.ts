import { describe, expect, it } from 'vitest';
import { discoveryOptionsFromEnv } from '../../../../../src-main/accounts/autoconfig/discovery-env';

describe('discovery settings from the environment', () => {
  it('takes an ISPDB mirror and a deadline', () => {
    expect(
      discoveryOptionsFromEnv({
        ESTAFETA_ISPDB_URL: ' http://127.0.0.1:8080/ispdb/ ',
        ESTAFETA_DISCOVERY_TIMEOUT_MS: '60000',
      }),
    ).toEqual({ ispdbBaseUrl: 'http://127.0.0.1:8080/ispdb/', timeoutMs: 60_000 });
  });

  it('keeps the defaults when nothing is set', () => {
    expect(discoveryOptionsFromEnv({})).toEqual({});
  });

  it('ignores values that cannot be right', () => {
    for (const [url, timeout] of [
      ['not a url', 'soon'],
      ['file:///etc/passwd', '0'],
      ['ftp://mirror.test/', '999999'],
      ['', '-5'],
    ]) {
      expect(
        discoveryOptionsFromEnv({ ESTAFETA_ISPDB_URL: url, ESTAFETA_DISCOVERY_TIMEOUT_MS: timeout }),
      ).toEqual({});
    }
  });
});
