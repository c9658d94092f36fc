/**
 * "Account settings" (and "Manage accounts"): one account's settings as an editable form, saving
 * them, identities, switching POP3 <-> IMAP (then offering to upload the mail already here),
 * signing in again through the browser, and removing the account (keeping its mail or not).
 */
import type { ApiClient } from '../api/client';
import type {
  AccountSetup,
  AccountView,
  ConnectionCheckView,
  SecurityView,
  ServerCheckView,
} from '../api/contract-types';
import {
  certificateGroups,
  defaultPort,
  type CertificateGroup,
  type IncomingProtocol,
  type OAuth2ProviderView,
} from './account-setup-rules';
import {
  DEFAULT_OFFLINE_DAYS,
  formFromSetup,
  setupFromSettings,
  type IdentityForm,
  type OfflinePolicy,
  type SettingsField,
  type SettingsForm,
} from './account-settings-rules';
import { BrowserSignIn } from './account-sign-in.svelte';
import { CertificateTrust } from './certificate-trust.svelte';
import { errorText } from './error-text';

/** Form fields set as they are typed (the server fields have their own setters). */
type PlainField =
  | 'name'
  | 'email'
  | 'leaveOnServer'
  | 'deleteAfterDays'
  | 'deleteWhenDeletedHere'
  | 'checkEveryMinutes'
  | 'maxMessageKb'
  | 'offlineDays'
  | 'signature';
const CHECKED_FIELDS = [
  'email',
  'deleteAfterDays',
  'checkEveryMinutes',
  'maxMessageKb',
  'offlineDays',
] as const;

export type SettingsPhase =
  'closed' | 'loading' | 'editing' | 'saving' | 'confirmRemove' | 'removing' | 'offerUpload' | 'uploading';

/** The phase name main uses in sync.progress for "Upload the mail already here". */
const UPLOAD_PHASE = 'upload';
/** Bounds the identities list, as main does. */
const MAX_IDENTITIES = 50;

export class AccountSettingsState {
  readonly #api: ApiClient;
  readonly signIn: BrowserSignIn;
  #phase = $state<SettingsPhase>('closed');
  #account = $state.raw<AccountView | null>(null);
  #savedProtocol: IncomingProtocol = 'imap';
  #saved: AccountSetup | null = null;
  #check = $state.raw<ConnectionCheckView | null>(null);
  #certificates = $derived(certificateGroups(this.#check));
  #form = $state<SettingsForm | null>(null);
  #password = $state('');
  #invalid = $state.raw<readonly SettingsField[]>([]);
  #error = $state<string | null>(null);
  #notice = $state<'saved' | 'uploaded' | null>(null);
  #keepMail = $state(true);
  #keptFolderId: number | null = null;
  #upload = $state.raw<{ done: number; total: number } | null>(null);
  #uploadResult = $state.raw<{ uploaded: number; alreadyThere: number } | null>(null);
  #nextKey = 1;
  /** Bumped by open/close: an answer for an account no longer shown is dropped. */
  #attempt = 0;

  readonly #certificateTrust: CertificateTrust;

  constructor(api: ApiClient) {
    this.#api = api;
    this.signIn = new BrowserSignIn(api);
    this.#certificateTrust = new CertificateTrust(api);
    api.on('sync.progress', ({ accountId, phase, done, total }) => {
      if (phase === UPLOAD_PHASE && accountId === this.#account?.id && this.#phase === 'uploading') {
        this.#upload = { done, total };
      }
    });
  }

  // ---------------------------------------------------------------- read-only state
  get phase(): SettingsPhase {
    return this.#phase;
  }
  get isOpen(): boolean {
    return this.#phase !== 'closed';
  }
  get isBusy(): boolean {
    return ['loading', 'saving', 'removing', 'uploading'].includes(this.#phase) || this.signIn.isWaiting;
  }
  get account(): AccountView | null {
    return this.#account;
  }
  /** The form, once loaded; its fields are edited in place (deep $state). */
  get form(): SettingsForm | null {
    return this.#form;
  }
  get invalidFields(): readonly string[] {
    return this.#invalid;
  }
  get error(): string | null {
    return this.#error;
  }
  get notice(): 'saved' | 'uploaded' | null {
    return this.#notice;
  }
  get uploadProgress(): { done: number; total: number } | null {
    return this.#upload;
  }
  get uploadResult(): { uploaded: number; alreadyThere: number } | null {
    return this.#uploadResult;
  }
  /** The protocol changes on save: the mail of before moves to Local Folders. */
  get isSwitching(): boolean {
    return this.#form !== null && this.#form.protocol !== this.#savedProtocol;
  }
  /** The Connect results of changed servers, in form order (shown when one failed). */
  get results(): readonly ServerCheckView[] {
    return this.#check === null || this.#check.ok ? [] : [this.#check.incoming, this.#check.outgoing];
  }
  get certificates(): readonly CertificateGroup[] {
    return this.#certificates;
  }
  isTrusted(fingerprint256: string): boolean {
    return this.#certificateTrust.isTrusted(fingerprint256);
  }
  get trustingFingerprint(): string | null {
    return this.#certificateTrust.trustingFingerprint;
  }

  get oauth2Provider(): OAuth2ProviderView | null {
    return this.#form?.oauth2Provider ?? null;
  }

  // ---------------------------------------------------------------- fields the shared components use
  get password(): string {
    return this.#password;
  }
  set password(value: string) {
    this.#password = value;
  }
  get keepMail(): boolean {
    return this.#keepMail;
  }
  set keepMail(value: boolean) {
    this.#keepMail = value;
  }
  get incomingHost(): string {
    return this.#form?.incomingHost ?? '';
  }
  set incomingHost(value: string) {
    this.#edit('incomingHost', (form) => (form.incomingHost = value));
  }
  get incomingPort(): string {
    return this.#form?.incomingPort ?? '';
  }
  set incomingPort(value: string) {
    this.#edit('incomingPort', (form) => (form.incomingPort = value));
  }
  get incomingSecurity(): SecurityView {
    return this.#form?.incomingSecurity ?? 'tls';
  }
  set incomingSecurity(value: SecurityView) {
    this.#edit(null, (form) => {
      if (form.incomingPort === String(defaultPort(form.protocol, form.incomingSecurity))) {
        form.incomingPort = String(defaultPort(form.protocol, value));
      }
      form.incomingSecurity = value;
    });
  }
  get username(): string {
    return this.#form?.username ?? '';
  }
  set username(value: string) {
    this.#edit('username', (form) => (form.username = value));
  }
  get outgoingHost(): string {
    return this.#form?.outgoingHost ?? '';
  }
  set outgoingHost(value: string) {
    this.#edit('outgoingHost', (form) => (form.outgoingHost = value));
  }
  get outgoingPort(): string {
    return this.#form?.outgoingPort ?? '';
  }
  set outgoingPort(value: string) {
    this.#edit('outgoingPort', (form) => (form.outgoingPort = value));
  }
  get outgoingSecurity(): SecurityView {
    return this.#form?.outgoingSecurity ?? 'starttls';
  }
  set outgoingSecurity(value: SecurityView) {
    this.#edit(null, (form) => {
      if (form.outgoingPort === String(defaultPort('smtp', form.outgoingSecurity))) {
        form.outgoingPort = String(defaultPort('smtp', value));
      }
      form.outgoingSecurity = value;
    });
  }

  /** IMAP <-> POP3: the incoming port follows when it was the old protocol's default. */
  setProtocol(protocol: IncomingProtocol): void {
    this.#edit(null, (form) => {
      if (form.incomingPort === String(defaultPort(form.protocol, form.incomingSecurity))) {
        form.incomingPort = String(defaultPort(protocol, form.incomingSecurity));
      }
      form.protocol = protocol;
    });
  }

  setOffline(policy: OfflinePolicy): void {
    this.#edit(null, (form) => {
      form.offline = policy;
      if (policy === 'days' && form.offlineDays.trim() === '')
        form.offlineDays = String(DEFAULT_OFFLINE_DAYS);
    });
  }

  /** Changes a plain field of the form (name, address, POP3 options, signature…). */
  set<K extends PlainField>(key: K, value: SettingsForm[K]): void {
    this.#edit(null, (form) => {
      form[key] = value;
    });
    if ((CHECKED_FIELDS as readonly string[]).includes(key)) this.edited(key as SettingsField);
  }

  /** Marks a field edited (its problem goes away) after changing it in the form. */
  edited(field: SettingsField): void {
    if (this.#invalid.includes(field)) this.#invalid = this.#invalid.filter((name) => name !== field);
    this.#notice = null;
  }

  // ---------------------------------------------------------------- identities
  addIdentity(): void {
    this.#edit(null, (form) => {
      if (form.identities.length >= MAX_IDENTITIES) return;
      form.identities.push({ key: this.#nextKey++, name: form.name, email: '', signature: '' });
    });
  }

  setIdentity(identity: IdentityForm, field: 'name' | 'email' | 'signature', value: string): void {
    this.#edit(null, (form) => {
      const target = form.identities.find((candidate) => candidate.key === identity.key);
      if (target) target[field] = value;
    });
    if (field === 'email') this.edited(`identity-${identity.key}`);
  }

  removeIdentity(identity: IdentityForm): void {
    this.#edit(null, (form) => {
      form.identities = form.identities.filter((candidate) => candidate.key !== identity.key);
    });
    this.edited(`identity-${identity.key}`);
  }

  // ---------------------------------------------------------------- actions
  async open(accountId: number): Promise<void> {
    const attempt = ++this.#attempt;
    this.#reset();
    this.#phase = 'loading';
    try {
      const { account, setup } = await this.#api.call('accounts.get', { accountId });
      if (attempt !== this.#attempt) return;
      this.#load(account, setup);
      this.#phase = 'editing';
    } catch (error) {
      if (attempt !== this.#attempt) return;
      this.#error = errorText(error);
      this.#phase = 'editing';
    }
  }

  close(): void {
    this.#attempt++;
    void this.signIn.cancel();
    this.#reset();
    this.#phase = 'closed';
  }

  /** "Save": the changed settings (and the new password or sign-in, when there is one). */
  async save(): Promise<boolean> {
    const account = this.#account;
    // While a certificate is being trusted, a check now would refuse it once more.
    if (
      this.#phase !== 'editing' ||
      this.#certificateTrust.trustingFingerprint !== null ||
      account === null ||
      this.#form === null
    ) {
      return false;
    }
    const { setup, invalid } = setupFromSettings(this.#form);
    this.#invalid = invalid;
    if (setup === null) return false;
    const attempt = this.#attempt;
    const password = this.#password;
    const signInId = this.signIn.signInId;
    this.#phase = 'saving';
    this.#error = null;
    this.#notice = null;
    const secret = signInId !== null ? { signInId } : password !== '' ? { password } : {};
    try {
      // Other servers are tested before they are saved, as in "Add account".
      if (this.#saved === null || serversChanged(this.#saved, setup)) {
        const check = await this.#api.call('accounts.check', { setup, accountId: account.id, ...secret });
        if (attempt !== this.#attempt) return false;
        this.#check = check;
        if (!check.ok) {
          this.#phase = 'editing';
          return false;
        }
      }
      const saved = await this.#api.call('accounts.update', { accountId: account.id, setup, ...secret });
      if (attempt !== this.#attempt) return false;
      const wasPop3 = this.#savedProtocol === 'pop3';
      this.#account = saved;
      this.#savedProtocol = setup.incoming.protocol;
      this.#saved = setup;
      this.#check = null;
      this.#password = '';
      this.signIn.forget();
      this.#keptFolderId = saved.keptFolderId;
      if (wasPop3 && setup.incoming.protocol === 'imap' && saved.keptFolderId !== null) {
        this.#phase = 'offerUpload';
      } else {
        this.#notice = 'saved';
        this.#phase = 'editing';
      }
      return true;
    } catch (error) {
      if (attempt === this.#attempt) {
        this.#error = errorText(error);
        this.#phase = 'editing';
      }
      return false;
    }
  }

  /** "Trust this certificate": pins it for each server that presented it, and only those. */
  async trust(group: CertificateGroup): Promise<void> {
    if (this.#certificateTrust.trustingFingerprint !== null) return;
    this.#error = null;
    const failure = await this.#certificateTrust.trust(group);
    if (failure !== null) this.#error = failure;
  }

  /** "Upload": the kept POP3 mail to the IMAP server (safe to repeat after an interruption). */
  async upload(): Promise<void> {
    const account = this.#account;
    const folderId = this.#keptFolderId;
    if (account === null || folderId === null) return;
    if (this.#phase !== 'offerUpload') return;
    const attempt = this.#attempt;
    this.#phase = 'uploading';
    this.#upload = null;
    this.#error = null;
    try {
      const result = await this.#api.call('accounts.uploadLocalMail', { accountId: account.id, folderId });
      if (attempt !== this.#attempt) return;
      this.#uploadResult = { uploaded: result.uploaded, alreadyThere: result.alreadyThere };
      this.#phase = 'editing';
      this.#notice = 'uploaded';
    } catch (error) {
      if (attempt !== this.#attempt) return;
      this.#error = errorText(error);
      // Upload again continues where it stopped.
      this.#phase = 'offerUpload';
    }
  }

  /** "Not now" or "Done" after the upload question. */
  finishUpload(): void {
    if (this.#phase === 'offerUpload') {
      this.#phase = 'editing';
      this.#notice = 'saved';
    }
  }

  askRemove(): void {
    if (this.#phase === 'editing' && this.#account !== null) {
      this.#keepMail = true;
      this.#phase = 'confirmRemove';
    }
  }

  cancelRemove(): void {
    if (this.#phase === 'confirmRemove') this.#phase = 'editing';
  }

  /** Resolves true once the account is gone (the dialog closes). */
  async remove(): Promise<boolean> {
    const account = this.#account;
    if (this.#phase !== 'confirmRemove' || account === null) return false;
    const attempt = this.#attempt;
    this.#phase = 'removing';
    this.#error = null;
    try {
      await this.#api.call('accounts.remove', { accountId: account.id, keepLocalMail: this.#keepMail });
      if (attempt === this.#attempt) this.close();
      return true;
    } catch (error) {
      if (attempt === this.#attempt) {
        this.#error = errorText(error);
        this.#phase = 'confirmRemove';
      }
      return false;
    }
  }

  /** "Sign in again" through the browser (OAuth2 accounts); Save then stores the new tokens. */
  async signInAgain(): Promise<void> {
    const provider = this.oauth2Provider;
    if (provider === null || this.#form === null) return;
    this.#error = null;
    await this.signIn.start(provider, this.#form.email);
  }

  // ---------------------------------------------------------------- internals
  #edit(field: SettingsField | null, change: (form: SettingsForm) => void): void {
    if (this.#form === null) return;
    change(this.#form);
    if (field !== null) this.edited(field);
    this.#notice = null;
  }

  #load(account: AccountView, setup: AccountSetup): void {
    this.#account = account;
    this.#savedProtocol = setup.incoming.protocol;
    this.#saved = setup;
    this.#form = formFromSetup(setup, () => this.#nextKey++);
  }

  #reset(): void {
    this.#account = null;
    this.#form = null;
    this.#password = '';
    this.#invalid = [];
    this.#error = null;
    this.#notice = null;
    this.#keepMail = true;
    this.#keptFolderId = null;
    this.#upload = null;
    this.#uploadResult = null;
    this.#saved = null;
    this.#check = null;
    this.#certificateTrust.forget();
    this.signIn.forget();
  }
}

/** True when `next` connects somewhere else than `saved` (then it is tested before it is saved). */
function serversChanged(saved: AccountSetup, next: AccountSetup): boolean {
  const same = (a: AccountSetup['outgoing'], b: AccountSetup['outgoing']): boolean =>
    a.host.toLowerCase() === b.host.toLowerCase() &&
    a.port === b.port &&
    a.security === b.security &&
    a.username === b.username;
  return (
    saved.incoming.protocol !== next.incoming.protocol ||
    !same(saved.incoming, next.incoming) ||
    !same(saved.outgoing, next.outgoing)
  );
}
