// The pure rules behind "Account settings" and the POP3/OAuth2 parts of "Add account": a saved
// setup shown as form text and saved back unchanged, every option checked before it is sent.
import { describe, expect, it } from 'vitest';
import type { AccountSetup } from '../../../../../src-main/api/account-contract';
import { setupFromForm, type SetupForm } from '../../../../../src-renderer/src/lib/state/account-setup-rules';
import {
  formFromSetup,
  setupFromSettings,
} from '../../../../../src-renderer/src/lib/state/account-settings-rules';

const SAVED: AccountSetup = {
  name: 'Ana Torres',
  email: 'ana@example.test',
  incoming: { protocol: 'pop3', host: 'pop.example.test', port: 995, security: 'tls', username: 'ana' },
  outgoing: { host: 'smtp.example.test', port: 587, security: 'starttls', username: 'ana' },
  pop3: {
    leaveOnServer: true,
    deleteAfterDays: 14,
    deleteWhenDeletedHere: true,
    checkEveryMinutes: 5,
    maxMessageKb: 2048,
  },
  signature: '-- Ana',
  identities: [{ name: 'Ana at Work', email: 'ana@work.example', signature: 'Work' }],
  oauth2Provider: null,
};

function keys(): () => number {
  let next = 1;
  return () => next++;
}

describe('account settings rules', () => {
  it('shows a saved setup as form text and saves it back unchanged', () => {
    const form = formFromSetup(SAVED, keys());
    expect(form).toMatchObject({
      deleteAfterDays: '14',
      checkEveryMinutes: '5',
      maxMessageKb: '2048',
      incomingPort: '995',
      identities: [{ key: 1, name: 'Ana at Work', email: 'ana@work.example', signature: 'Work' }],
    });
    expect(setupFromSettings(form)).toEqual({ invalid: [], setup: SAVED });
  });

  it('names every option that cannot be saved, and each identity without an address', () => {
    const form = formFromSetup(SAVED, keys());
    form.deleteAfterDays = '0';
    form.checkEveryMinutes = 'often';
    form.maxMessageKb = '-3';
    form.incomingPort = '70000';
    form.identities[0]!.email = 'not an address';
    expect(setupFromSettings(form).invalid).toEqual([
      'incomingPort',
      'deleteAfterDays',
      'checkEveryMinutes',
      'maxMessageKb',
      'identity-1',
    ]);
  });

  it('keeps messages forever when "Delete from server after N days" is empty, and drops server options without leaveOnServer', () => {
    const form = formFromSetup(SAVED, keys());
    form.deleteAfterDays = '';
    form.maxMessageKb = '';
    expect(setupFromSettings(form).setup?.pop3).toMatchObject({ deleteAfterDays: null, maxMessageKb: null });
    form.leaveOnServer = false;
    expect(setupFromSettings(form).setup?.pop3).toMatchObject({
      leaveOnServer: false,
      deleteAfterDays: null,
      deleteWhenDeletedHere: false,
    });
  });

  it('sends the offline policy for IMAP only, with its number of days', () => {
    const imap: AccountSetup = {
      ...SAVED,
      incoming: { ...SAVED.incoming, protocol: 'imap', port: 993 },
      imap: { offline: 'days', days: 90 },
    };
    const form = formFromSetup(imap, keys());
    expect(form).toMatchObject({ offline: 'days', offlineDays: '90' });
    expect(setupFromSettings(form).setup?.imap).toEqual({ offline: 'days', days: 90 });
    form.offlineDays = '';
    expect(setupFromSettings(form).invalid).toEqual(['offlineDays']);
    form.offline = 'headers';
    expect(setupFromSettings(form).setup?.imap).toEqual({ offline: 'headers', days: null });
    form.protocol = 'pop3';
    expect(setupFromSettings(form).setup?.imap).toBeUndefined();
  });
});

describe('add account rules: POP3 options and browser sign-in', () => {
  const FORM: SetupForm = {
    name: 'Ana',
    email: 'ana@gmail.com',
    password: '',
    protocol: 'imap',
    leaveOnServer: false,
    incomingHost: 'imap.gmail.com',
    incomingPort: '993',
    incomingSecurity: 'tls',
    username: 'ana@gmail.com',
    outgoingHost: 'smtp.gmail.com',
    outgoingPort: '465',
    outgoingSecurity: 'tls',
  };

  it('needs no password when signing in through the browser', () => {
    expect(setupFromForm(FORM).invalid).toEqual(['password']);
    expect(setupFromForm({ ...FORM, oauth2Provider: 'google' })).toMatchObject({
      invalid: [],
      setup: { oauth2Provider: 'google' },
    });
  });

  it('saves "Delete from server after N days" and "when I delete it here" only with leaveOnServer', () => {
    const pop3 = { ...FORM, password: 'pw', protocol: 'pop3' as const, deleteWhenDeletedHere: true };
    expect(setupFromForm({ ...pop3, leaveOnServer: true, deleteAfterDays: ' 30 ' }).setup?.pop3).toEqual({
      leaveOnServer: true,
      deleteAfterDays: 30,
      deleteWhenDeletedHere: true,
    });
    expect(setupFromForm({ ...pop3, leaveOnServer: true, deleteAfterDays: '4000' }).invalid).toEqual([
      'deleteAfterDays',
    ]);
    expect(setupFromForm({ ...pop3, leaveOnServer: false, deleteAfterDays: 'x' }).setup?.pop3).toEqual({
      leaveOnServer: false,
      deleteAfterDays: null,
      deleteWhenDeletedHere: false,
    });
  });
});
