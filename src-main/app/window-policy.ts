/**
 * Electron's security checklist, written down once as data and pure functions so a unit test can
 * check every item without an Electron binary. main.ts only applies what is decided here.
 * https://www.electronjs.org/docs/latest/tutorial/security
 */
import type { WebPreferences, BrowserWindowConstructorOptions } from 'electron';
import { contentSecurityPolicy } from '../api/content-policy';

/** Protocols the system browser (or mail app) may open from a link; nothing else leaves the app. */
const EXTERNAL_PROTOCOLS: ReadonlySet<string> = new Set(['https:', 'http:', 'mailto:']);

export function webPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: true,
  };
}

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Estafeta',
    webPreferences: webPreferences(preloadPath),
  };
}

export function appContentSecurityPolicy(): string {
  return contentSecurityPolicy();
}

/** The app page is out/renderer/index.html (file://) or, in development, the Vite dev server. */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const candidate = new URL(url);
    const app = new URL(appUrl);
    if (app.protocol === 'file:')
      return candidate.protocol === 'file:' && candidate.pathname === app.pathname;
    return candidate.origin === app.origin;
  } catch {
    return false;
  }
}

export function isSafeExternalUrl(url: string): boolean {
  try {
    return EXTERNAL_PROTOCOLS.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

export type NavigationDecision = { allow: true } | { allow: false; openExternally: string | null };

/** will-navigate and window.open: the app never navigates away or opens windows of its own. */
export function decideNavigation(url: string, appUrl: string): NavigationDecision {
  if (isAppUrl(url, appUrl)) return { allow: true };
  return { allow: false, openExternally: isSafeExternalUrl(url) ? url : null };
}

export function decideWindowOpen(url: string): { action: 'deny'; openExternally: string | null } {
  return { action: 'deny', openExternally: isSafeExternalUrl(url) ? url : null };
}

/** Camera, microphone, notifications prompts, geolocation...: the UI needs none of them. */
export function decidePermission(permission: string): boolean {
  // Desktop notifications are shown by the main process, not requested by the page.
  void permission;
  return false;
}

/** Adds our CSP to every response the app's session receives (file:// and the dev server). */
export function withContentSecurityPolicy(
  headers: Record<string, string[] | string> | undefined,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [appContentSecurityPolicy()];
  return out;
}
