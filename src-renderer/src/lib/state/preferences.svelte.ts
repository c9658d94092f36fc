/**
 * The user's window preferences, remembered in localStorage (they belong to this window, not to
 * the mail store): the UI language ("Settings" > "Language"), the pane widths, whether the list
 * groups conversations, and the folder shown last (the window opens on it again). Changing the
 * language re-renders every text at once (see i18n/index.ts).
 */
import {
  isLanguagePreference,
  LANGUAGE_STORAGE_KEY,
  resolveLanguage,
  setLanguage,
  t,
  type Language,
  type LanguagePreference,
} from '../../i18n';
import { parsePaneSizes, withPaneWidth, type PaneName, type PaneSizes } from '../list/pane-sizes';

const PANES_STORAGE_KEY = 'estafeta.panes';
const THREADED_STORAGE_KEY = 'estafeta.conversations';
const FOLDER_STORAGE_KEY = 'estafeta.folder';

/** What the message list showed: a folder, or every account's Inbox together. */
export type ShownFolder = number | 'all-inboxes';

function parseShownFolder(stored: string | null): ShownFolder | null {
  if (stored === 'all-inboxes') return stored;
  const id = Number(stored);
  return stored !== null && Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** The part of localStorage used here; writes may fail (quota, private mode) without harm. */
export type PreferenceStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function savedLanguagePreference(storage: PreferenceStorage | null): LanguagePreference {
  const stored = safeGet(storage, LANGUAGE_STORAGE_KEY);
  return isLanguagePreference(stored) ? stored : 'system';
}

export class PreferencesState {
  readonly #storage: PreferenceStorage | null;
  readonly #systemLanguage: string | undefined;
  #language = $state<LanguagePreference>('system');
  #panes = $state.raw<PaneSizes>(parsePaneSizes(null));
  #isThreaded = $state(false);

  constructor(storage: PreferenceStorage | null, systemLanguage: string | undefined) {
    this.#storage = storage;
    this.#systemLanguage = systemLanguage;
    this.#language = savedLanguagePreference(storage);
    this.#panes = parsePaneSizes(safeGet(storage, PANES_STORAGE_KEY));
    this.#isThreaded = safeGet(storage, THREADED_STORAGE_KEY) === 'true';
  }

  get language(): LanguagePreference {
    return this.#language;
  }

  /** The language shown now. */
  get effectiveLanguage(): Language {
    return resolveLanguage(this.#language, this.#systemLanguage);
  }

  get panes(): PaneSizes {
    return this.#panes;
  }

  get isThreaded(): boolean {
    return this.#isThreaded;
  }

  /** The folder shown when the window was last used; null the first time. */
  get lastShownFolder(): ShownFolder | null {
    return parseShownFolder(safeGet(this.#storage, FOLDER_STORAGE_KEY));
  }

  rememberShownFolder(shown: ShownFolder): void {
    safeSet(this.#storage, FOLDER_STORAGE_KEY, String(shown));
  }

  setLanguage(preference: LanguagePreference): void {
    this.#language = preference;
    safeSet(this.#storage, LANGUAGE_STORAGE_KEY, preference);
    applyLanguage(this.effectiveLanguage);
  }

  setPaneWidth(pane: PaneName, width: number): void {
    this.#panes = withPaneWidth(this.#panes, pane, width);
  }

  /** Called when a drag or key press ends, so storage is written once per change, not per frame. */
  savePanes(): void {
    safeSet(this.#storage, PANES_STORAGE_KEY, JSON.stringify(this.#panes));
  }

  setThreaded(isThreaded: boolean): void {
    this.#isThreaded = isThreaded;
    safeSet(this.#storage, THREADED_STORAGE_KEY, String(isThreaded));
  }
}

/** Switches the catalogue and what the document says about its language. */
export function applyLanguage(language: Language): void {
  setLanguage(language);
  if (typeof document !== 'undefined') {
    document.documentElement.lang = language;
    document.title = t('app.title');
  }
}

function safeGet(storage: PreferenceStorage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function safeSet(storage: PreferenceStorage | null, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // Not remembered this time; the choice still applies to this window.
  }
}
