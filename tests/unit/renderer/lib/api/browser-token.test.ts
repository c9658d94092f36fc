import { describe, expect, it } from 'vitest';
import {
  TOKEN_STORAGE_KEY,
  takeToken,
  tokenFromFragment,
  type TokenSources,
} from '../../../../../src-renderer/src/lib/api/browser-token';

function sources(url: string, stored: Record<string, string> = {}) {
  const address = new URL(url);
  const storage = new Map(Object.entries(stored));
  const replaced: string[] = [];
  const value: TokenSources = {
    location: { hash: address.hash, pathname: address.pathname, search: address.search },
    history: { replaceState: (_data, _unused, next) => replaced.push(next ?? '') },
    storage: { getItem: (key) => storage.get(key) ?? null, setItem: (key, v) => void storage.set(key, v) },
  };
  return { value, storage, replaced };
}

describe('the browser-mode token', () => {
  it('is taken from the link fragment, removed from the address bar and kept for reloads', () => {
    const { value, storage, replaced } = sources('http://127.0.0.1:4000/#token=abc-DEF_123');
    expect(takeToken(value)).toBe('abc-DEF_123');
    expect(replaced).toEqual(['/']);
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('abc-DEF_123');
  });

  it('comes from sessionStorage on a reload, when the address bar no longer has it', () => {
    const { value, replaced } = sources('http://127.0.0.1:4000/', { [TOKEN_STORAGE_KEY]: 'kept' });
    expect(takeToken(value)).toBe('kept');
    expect(replaced).toEqual([]);
  });

  it('prefers a new link over an old stored token', () => {
    const { value, storage } = sources('http://127.0.0.1:4000/#token=new', { [TOKEN_STORAGE_KEY]: 'old' });
    expect(takeToken(value)).toBe('new');
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('new');
  });

  it('is null when the page was opened without the link', () => {
    expect(takeToken(sources('http://127.0.0.1:4000/').value)).toBeNull();
    expect(takeToken(sources('http://127.0.0.1:4000/#token=').value)).toBeNull();
    expect(tokenFromFragment('#other=1')).toBeNull();
  });
});
