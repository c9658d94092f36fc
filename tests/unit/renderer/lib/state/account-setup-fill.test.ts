import { describe, expect, it } from 'vitest';
import type { DiscoveryView } from '../../../../../src-main/api/contract';
import {
  discoveryFor,
  serverFieldFill,
  type ServerField,
  type ServerValues,
} from '../../../../../src-renderer/src/lib/state/account-setup-fill';

const EMPTY: ServerValues = {
  incomingHost: '',
  incomingPort: '993',
  incomingSecurity: 'tls',
  username: 'ana@example.test',
  outgoingHost: '',
  outgoingPort: '587',
  outgoingSecurity: 'starttls',
};

const FOUND: DiscoveryView = {
  found: true,
  source: 'ispdb',
  providerName: 'Example Mail',
  incoming: [
    { protocol: 'pop3', host: 'pop.found.test', port: 1995, security: 'tls', username: 'ana' },
    { protocol: 'imap', host: 'imap.found.test', port: 1143, security: 'starttls', username: 'ana' },
  ],
  outgoing: [{ host: 'smtp.found.test', port: 2465, security: 'tls', username: 'ana' }],
  oauth2Provider: null,
  canSignInWithBrowser: false,
};

const held =
  (...fields: ServerField[]) =>
  (field: ServerField): boolean =>
    fields.includes(field);

describe('filling server fields from what was found', () => {
  it('fills every untouched field with the found servers for the chosen protocol', () => {
    const fill = serverFieldFill({
      email: 'ana@example.test',
      protocol: 'imap',
      found: FOUND,
      current: EMPTY,
      isHeld: held(),
    });
    expect(fill).toEqual({
      incomingHost: 'imap.found.test',
      incomingPort: '1143',
      incomingSecurity: 'starttls',
      username: 'ana',
      outgoingHost: 'smtp.found.test',
      outgoingPort: '2465',
      outgoingSecurity: 'tls',
    });
  });

  it('never changes a field the user typed in or is in right now', () => {
    const typed: ServerValues = {
      ...EMPTY,
      outgoingHost: '127.0.0.1',
      outgoingPort: '10587',
      incomingHost: '127.0.0.1',
    };
    const fill = serverFieldFill({
      email: 'ana@example.test',
      protocol: 'imap',
      found: FOUND,
      current: typed,
      isHeld: held('outgoingHost', 'outgoingPort', 'incomingHost', 'username'),
    });
    expect(fill).not.toHaveProperty('outgoingHost');
    expect(fill).not.toHaveProperty('outgoingPort');
    expect(fill).not.toHaveProperty('incomingHost');
    expect(fill).not.toHaveProperty('username');
    // The fields still untouched get what was found.
    expect(fill).toEqual({
      incomingPort: '1143',
      incomingSecurity: 'starttls',
      outgoingSecurity: 'tls',
    });
  });

  it('gives a port left to it the default of the security the user chose', () => {
    const fill = serverFieldFill({
      email: 'ana@example.test',
      protocol: 'imap',
      found: null,
      current: { ...EMPTY, incomingSecurity: 'starttls', outgoingSecurity: 'tls' },
      isHeld: held('incomingSecurity', 'outgoingSecurity'),
    });
    expect(fill.incomingPort).toBe('143');
    expect(fill.outgoingPort).toBe('465');
    expect(fill).not.toHaveProperty('incomingSecurity');
  });

  it('guesses host names from the address when nothing was found, and leaves the username alone', () => {
    const fill = serverFieldFill({
      email: 'ana@example.test',
      protocol: 'pop3',
      found: null,
      current: EMPTY,
      isHeld: held(),
    });
    expect(fill).toEqual({
      incomingHost: 'pop.example.test',
      incomingPort: '995',
      incomingSecurity: 'tls',
      outgoingHost: 'smtp.example.test',
      outgoingPort: '587',
      outgoingSecurity: 'starttls',
    });
  });

  it('fills only the side asked for (the protocol choice changes the incoming side alone)', () => {
    const fill = serverFieldFill({
      email: 'ana@example.test',
      protocol: 'pop3',
      found: FOUND,
      current: EMPTY,
      isHeld: held(),
      sides: ['incoming'],
    });
    expect(Object.keys(fill).sort()).toEqual([
      'incomingHost',
      'incomingPort',
      'incomingSecurity',
      'username',
    ]);
    expect(fill.incomingHost).toBe('pop.found.test');
  });
});

describe('a lookup answer belongs to its address', () => {
  it('is used for the same address, however it is cased or spaced', () => {
    expect(discoveryFor(' Ana@Example.TEST ', { email: 'ana@example.test', view: FOUND })).toBe(FOUND);
  });

  it('is stale once the address in the form is another one', () => {
    expect(discoveryFor('ana@other.test', { email: 'ana@example.test', view: FOUND })).toBeNull();
    expect(discoveryFor('ana@example.test', null)).toBeNull();
  });
});
