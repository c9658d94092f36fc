/**
 * Account setup ("Add account"): the form's values, the automatic settings found for the address,
 * the "Connect" check and its outcome, and trusting a certificate. What the user typed always
 * wins: settings found later only fill fields the user has not typed in and is not in right now
 * (account-setup-fill.ts), and an answer for an address no longer in the form is dropped.
 */
import type { ApiClient } from '../api/client';
import type {
  AccountSetup,
  AccountView,
  ConnectionCheckView,
  DiscoveryView,
  SecurityView,
  ServerCheckView,
} from '../api/contract-types';
import { SvelteSet } from 'svelte/reactivity';
import {
  discoveryFor,
  sameAddress,
  serverFieldFill,
  type AddressDiscovery,
  type ServerField,
  type ServerValues,
} from './account-setup-fill';
import {
  DEFAULT_INCOMING_SECURITY,
  DEFAULT_OUTGOING_SECURITY,
  certificateGroups,
  defaultPort,
  domainOf,
  setupFromForm,
  type CertificateGroup,
  type FormField,
  type IncomingProtocol,
  type OAuth2ProviderView,
} from './account-setup-rules';
import { BrowserSignIn } from './account-sign-in.svelte';
import { CertificateTrust } from './certificate-trust.svelte';
import { errorText } from './error-text';

export {
  domainOf,
  type CertificateGroup,
  type FormField,
  type IncomingProtocol,
} from './account-setup-rules';
export type SetupPhase = 'editing' | 'connecting' | 'saving';
export type DiscoveryState = 'idle' | 'looking' | 'found' | 'notFound';

/** Typing pauses this long before the address is looked up. */
export const DISCOVERY_DEBOUNCE_MS = 500;

export class AccountSetupState {
  readonly #api: ApiClient;
  /** "Sign in with Google/Microsoft" when the provider wants it. */
  readonly signIn: BrowserSignIn;
  readonly #touched = new SvelteSet<FormField>();
  /** The server field the user is in: a lookup ending now must not change it under their caret. */
  #focused: ServerField | null = null;
  #name = $state('');
  #email = $state('');
  #password = $state('');
  #protocol = $state<IncomingProtocol>('imap');
  #isProtocolChosen = false;
  #leaveOnServer = $state(false);
  #deleteAfterDays = $state('');
  #deleteWhenDeletedHere = $state(false);
  /** The user chose a (app) password although the provider offers browser sign-in. */
  #prefersPassword = $state(false);
  #incomingHost = $state('');
  #incomingPort = $state(String(defaultPort('imap', DEFAULT_INCOMING_SECURITY)));
  #incomingSecurity = $state<SecurityView>(DEFAULT_INCOMING_SECURITY);
  #username = $state('');
  #outgoingHost = $state('');
  #outgoingPort = $state(String(defaultPort('smtp', DEFAULT_OUTGOING_SECURITY)));
  #outgoingSecurity = $state<SecurityView>(DEFAULT_OUTGOING_SECURITY);

  /** The last lookup's answer, with the address it was for. */
  #lookup = $state.raw<AddressDiscovery | null>(null);
  /** That answer while it is for the address in the form; null otherwise. */
  #discovery = $derived(discoveryFor(this.#email, this.#lookup));
  #discoveryState = $state<DiscoveryState>('idle');
  #discoveryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every new lookup and by Connect, so a late answer is ignored. */
  #discoverySeq = 0;

  #phase = $state<SetupPhase>('editing');
  /** Bumped by reset(): a Connect still running for a closed dialog must not save anything. */
  #attempt = 0;
  #check = $state.raw<ConnectionCheckView | null>(null);
  #error = $state<string | null>(null);
  #invalid = $state.raw<readonly FormField[]>([]);
  #certificates = $derived(certificateGroups(this.#check));

  readonly #certificateTrust: CertificateTrust;

  constructor(api: ApiClient) {
    this.#api = api;
    this.signIn = new BrowserSignIn(api);
    this.#certificateTrust = new CertificateTrust(api);
  }

  // ---------------------------------------------------------------- fields (setters mark them touched)
  get name(): string {
    return this.#name;
  }
  set name(value: string) {
    this.#name = value;
    this.#edited('name');
  }

  get email(): string {
    return this.#email;
  }
  set email(value: string) {
    this.#email = value;
    this.#edited('email');
    if (!this.#touched.has('username')) this.#username = value.trim();
    this.#scheduleDiscovery();
  }

  get password(): string {
    return this.#password;
  }
  set password(value: string) {
    this.#password = value;
    this.#edited('password');
  }

  get protocol(): IncomingProtocol {
    return this.#protocol;
  }
  set protocol(value: IncomingProtocol) {
    if (value === this.#protocol) return;
    this.#protocol = value;
    this.#isProtocolChosen = true;
    this.#check = null;
    this.#fill(['incoming']);
  }

  /** A POP3 option: asking to keep mail on the server means choosing POP3. */
  get leaveOnServer(): boolean {
    return this.#leaveOnServer;
  }
  set leaveOnServer(value: boolean) {
    this.#leaveOnServer = value;
    if (value) this.protocol = 'pop3';
  }

  /** With leaveOnServer: "Delete from server after N days" ('' never). */
  get deleteAfterDays(): string {
    return this.#deleteAfterDays;
  }
  set deleteAfterDays(value: string) {
    this.#deleteAfterDays = value;
    this.#edited('deleteAfterDays');
  }

  /** With leaveOnServer: "Delete from server when I delete it here". */
  get deleteWhenDeletedHere(): boolean {
    return this.#deleteWhenDeletedHere;
  }
  set deleteWhenDeletedHere(value: boolean) {
    this.#deleteWhenDeletedHere = value;
  }

  get incomingHost(): string {
    return this.#incomingHost;
  }
  set incomingHost(value: string) {
    this.#incomingHost = value;
    this.#edited('incomingHost');
  }

  get incomingPort(): string {
    return this.#incomingPort;
  }
  set incomingPort(value: string) {
    this.#incomingPort = value;
    this.#edited('incomingPort');
  }

  get incomingSecurity(): SecurityView {
    return this.#incomingSecurity;
  }
  set incomingSecurity(value: SecurityView) {
    // A port still at the old security's default follows the new one (993 <-> 143).
    if (this.#incomingPort === String(defaultPort(this.#protocol, this.#incomingSecurity))) {
      this.#incomingPort = String(defaultPort(this.#protocol, value));
    }
    this.#incomingSecurity = value;
    this.#edited('incomingSecurity');
  }

  get username(): string {
    return this.#username;
  }
  set username(value: string) {
    this.#username = value;
    this.#edited('username');
  }

  get outgoingHost(): string {
    return this.#outgoingHost;
  }
  set outgoingHost(value: string) {
    this.#outgoingHost = value;
    this.#edited('outgoingHost');
  }

  get outgoingPort(): string {
    return this.#outgoingPort;
  }
  set outgoingPort(value: string) {
    this.#outgoingPort = value;
    this.#edited('outgoingPort');
  }

  get outgoingSecurity(): SecurityView {
    return this.#outgoingSecurity;
  }
  set outgoingSecurity(value: SecurityView) {
    if (this.#outgoingPort === String(defaultPort('smtp', this.#outgoingSecurity))) {
      this.#outgoingPort = String(defaultPort('smtp', value));
    }
    this.#outgoingSecurity = value;
    this.#edited('outgoingSecurity');
  }

  // ---------------------------------------------------------------- read-only state
  get discoveryState(): DiscoveryState {
    return this.#discoveryState;
  }
  /** The provider's name when the built-in table or its config file named it. */
  get providerName(): string | null {
    return this.#discovery?.providerName ?? null;
  }
  /** The provider wants OAuth2 sign-in (Gmail, Microsoft): a password works only as an app password. */
  get prefersBrowserSignIn(): boolean {
    return (this.#discovery?.oauth2Provider ?? null) !== null;
  }
  /** The provider that signs in through the browser for this address, when one does. */
  get oauth2Provider(): OAuth2ProviderView | null {
    return this.#discovery?.canSignInWithBrowser === true ? this.#discovery.oauth2Provider : null;
  }
  /** Browser sign-in instead of the password field (the user may still choose a password). */
  get usesBrowserSignIn(): boolean {
    return this.oauth2Provider !== null && !this.#prefersPassword;
  }
  usePassword(): void {
    this.#prefersPassword = true;
    void this.signIn.cancel();
  }
  useBrowserSignIn(): void {
    this.#prefersPassword = false;
  }
  /** "Sign in with …": opens the provider's page and waits for it. */
  async startSignIn(): Promise<boolean> {
    const provider = this.oauth2Provider;
    if (provider === null) return false;
    return this.signIn.start(provider, this.#email);
  }

  get phase(): SetupPhase {
    return this.#phase;
  }
  get isBusy(): boolean {
    return this.#phase !== 'editing' || this.signIn.isWaiting;
  }
  get check(): ConnectionCheckView | null {
    return this.#check;
  }
  get error(): string | null {
    return this.#error;
  }
  get invalidFields(): readonly FormField[] {
    return this.#invalid;
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
  /** Results in form order: incoming, then outgoing. */
  get results(): readonly ServerCheckView[] {
    return this.#check === null ? [] : [this.#check.incoming, this.#check.outgoing];
  }

  // ---------------------------------------------------------------- actions
  /** Back to an empty form (the dialog was closed). */
  reset(): void {
    this.#attempt++;
    clearTimeout(this.#discoveryTimer);
    this.#discoverySeq++;
    this.#touched.clear();
    this.#name = '';
    this.#email = '';
    this.#password = '';
    this.#protocol = 'imap';
    this.#isProtocolChosen = false;
    this.#leaveOnServer = false;
    this.#deleteAfterDays = '';
    this.#deleteWhenDeletedHere = false;
    this.#prefersPassword = false;
    void this.signIn.cancel();
    this.#incomingHost = '';
    this.#incomingSecurity = DEFAULT_INCOMING_SECURITY;
    this.#incomingPort = String(defaultPort('imap', DEFAULT_INCOMING_SECURITY));
    this.#username = '';
    this.#outgoingHost = '';
    this.#outgoingSecurity = DEFAULT_OUTGOING_SECURITY;
    this.#outgoingPort = String(defaultPort('smtp', DEFAULT_OUTGOING_SECURITY));
    this.#lookup = null;
    this.#focused = null;
    this.#discoveryState = 'idle';
    this.#phase = 'editing';
    this.#check = null;
    this.#error = null;
    this.#invalid = [];
    this.#certificateTrust.forget();
  }

  /** The user entered a server field: until they leave it, nothing else writes to it. */
  focusField(field: ServerField): void {
    this.#focused = field;
  }

  /** The user left a server field without typing: it gets what was found meanwhile. */
  blurField(field: ServerField): void {
    if (this.#focused !== field) return;
    this.#focused = null;
    if (!this.#touched.has(field)) this.#fill(['incoming', 'outgoing']);
  }

  /** Looks the address up now (leaving the field does not wait for the typing pause). */
  discoverNow(): void {
    if (this.#discoveryTimer === undefined) return;
    clearTimeout(this.#discoveryTimer);
    this.#discoveryTimer = undefined;
    void this.#discover();
  }

  /**
   * "Connect": tests both servers with what the form says, and saves the account only when both
   * accepted the login. Resolves with the new account, or null when something failed (shown).
   */
  async connect(): Promise<AccountView | null> {
    // While a certificate is being trusted, a check now would refuse it once more.
    if (this.#phase !== 'editing' || this.#certificateTrust.trustingFingerprint !== null) return null;
    const setup = this.#validSetup();
    if (setup === null) return null;
    // The user is going ahead with these values: a lookup answering now must not change them.
    clearTimeout(this.#discoveryTimer);
    this.#discoveryTimer = undefined;
    this.#discoverySeq++;
    if (this.#discoveryState === 'looking') this.#discoveryState = 'idle';
    const attempt = this.#attempt;
    if (this.usesBrowserSignIn && this.signIn.signInId === null && !(await this.startSignIn())) return null;
    if (attempt !== this.#attempt) return null;
    const signInId = this.usesBrowserSignIn ? this.signIn.signInId : null;
    const secret = signInId !== null ? { signInId } : { password: this.#password };
    this.#phase = 'connecting';
    this.#check = null;
    this.#error = null;
    try {
      const check = await this.#api.call('accounts.check', { setup, ...secret });
      if (attempt !== this.#attempt) return null;
      this.#check = check;
      if (!check.ok) return null;
      this.#phase = 'saving';
      const account = await this.#api.call('accounts.create', { setup, ...secret });
      this.signIn.forget();
      return account;
    } catch (error) {
      if (attempt === this.#attempt) this.#error = errorText(error);
      return null;
    } finally {
      if (attempt === this.#attempt) this.#phase = 'editing';
    }
  }

  /** "Trust this certificate": pins it for each server that presented it, and only those. */
  async trust(group: CertificateGroup): Promise<void> {
    if (this.#certificateTrust.trustingFingerprint !== null) return;
    this.#error = null;
    const failure = await this.#certificateTrust.trust(group);
    if (failure !== null) this.#error = failure;
  }

  // ---------------------------------------------------------------- internals
  #edited(field: FormField): void {
    this.#touched.add(field);
    if (this.#invalid.includes(field)) this.#invalid = this.#invalid.filter((name) => name !== field);
  }

  #scheduleDiscovery(): void {
    clearTimeout(this.#discoveryTimer);
    this.#discoverySeq++;
    this.#discoveryTimer = undefined;
    // What was found for another address says nothing about this one.
    if (this.#lookup === null || !sameAddress(this.#lookup.email, this.#email)) this.#discoveryState = 'idle';
    if (domainOf(this.#email) === null) return;
    this.#discoveryTimer = setTimeout(() => {
      this.#discoveryTimer = undefined;
      void this.#discover();
    }, DISCOVERY_DEBOUNCE_MS);
  }

  async #discover(): Promise<void> {
    const email = this.#email.trim();
    if (domainOf(email) === null) return;
    const seq = ++this.#discoverySeq;
    this.#discoveryState = 'looking';
    let found: DiscoveryView | null;
    try {
      found = await this.#api.call('accounts.discover', { email });
    } catch {
      // Discovery is a convenience: when it fails, the guesses below and the user's typing remain.
      found = null;
    }
    // A newer lookup, Connect or closing the dialog bumped the sequence; and an answer for an
    // address the user has since changed is stale even if nothing newer was asked yet.
    if (seq !== this.#discoverySeq || !sameAddress(email, this.#email)) return;
    this.#lookup = found !== null && found.found ? { email, view: found } : null;
    this.#discoveryState = this.#lookup === null ? 'notFound' : 'found';
    if (this.#lookup !== null && !this.#isProtocolChosen) {
      const preferred = this.#lookup.view.incoming[0]?.protocol;
      if (preferred !== undefined) this.#protocol = preferred;
    }
    this.#fill(['incoming', 'outgoing']);
  }

  /** Fills the server fields the user has not typed in and is not in: from discovery, else guesses. */
  #fill(sides: ReadonlyArray<'incoming' | 'outgoing'>): void {
    const fill = serverFieldFill({
      email: this.#email,
      protocol: this.#protocol,
      found: this.#discovery,
      current: this.#serverValues(),
      isHeld: (field) => this.#touched.has(field) || this.#focused === field,
      sides,
    });
    if (fill.incomingSecurity !== undefined) this.#incomingSecurity = fill.incomingSecurity;
    if (fill.incomingPort !== undefined) this.#incomingPort = fill.incomingPort;
    if (fill.incomingHost !== undefined) this.#incomingHost = fill.incomingHost;
    if (fill.username !== undefined) this.#username = fill.username;
    if (fill.outgoingSecurity !== undefined) this.#outgoingSecurity = fill.outgoingSecurity;
    if (fill.outgoingPort !== undefined) this.#outgoingPort = fill.outgoingPort;
    if (fill.outgoingHost !== undefined) this.#outgoingHost = fill.outgoingHost;
  }

  #serverValues(): ServerValues {
    return {
      incomingHost: this.#incomingHost,
      incomingPort: this.#incomingPort,
      incomingSecurity: this.#incomingSecurity,
      username: this.#username,
      outgoingHost: this.#outgoingHost,
      outgoingPort: this.#outgoingPort,
      outgoingSecurity: this.#outgoingSecurity,
    };
  }

  /** The setup to send, or null after marking every field that needs the user's attention. */
  #validSetup(): AccountSetup | null {
    const { setup, invalid } = setupFromForm({
      name: this.#name,
      email: this.#email,
      password: this.#password,
      protocol: this.#protocol,
      leaveOnServer: this.#leaveOnServer,
      deleteAfterDays: this.#deleteAfterDays,
      deleteWhenDeletedHere: this.#deleteWhenDeletedHere,
      oauth2Provider: this.usesBrowserSignIn ? this.oauth2Provider : null,
      ...this.#serverValues(),
    });
    this.#invalid = invalid;
    return setup;
  }
}
