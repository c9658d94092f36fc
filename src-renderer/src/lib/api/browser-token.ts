/**
 * Browser mode's connection token. Main prints a link with `#token=...`: the fragment never goes
 * over HTTP, and the page moves it out of the address bar at once (so it does not linger in the
 * history, screenshots or a shared screen) into sessionStorage, where a reload of this tab finds it.
 */
export const TOKEN_STORAGE_KEY = 'estafeta.token';
const TOKEN_FRAGMENT_PARAM = 'token';

export interface TokenSources {
  location: { readonly hash: string; readonly pathname: string; readonly search: string };
  history: { replaceState(data: unknown, unused: string, url?: string): void };
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
}

/** The token from the address bar (which it then clears) or from an earlier load of this tab. */
export function takeToken({ location, history, storage }: TokenSources): string | null {
  const fromFragment = tokenFromFragment(location.hash);
  if (location.hash !== '') {
    history.replaceState(null, '', `${location.pathname}${location.search}`);
  }
  if (fromFragment !== null) {
    storage.setItem(TOKEN_STORAGE_KEY, fromFragment);
    return fromFragment;
  }
  const stored = storage.getItem(TOKEN_STORAGE_KEY);
  return stored === null || stored === '' ? null : stored;
}

export function tokenFromFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get(TOKEN_FRAGMENT_PARAM);
  return token === null || token === '' ? null : token;
}
