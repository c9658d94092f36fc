import { describe, expect, it } from 'vitest';
import {
  decideNavigation,
  decidePermission,
  decideWindowOpen,
  isAppUrl,
  isSafeExternalUrl,
  webPreferences,
  windowOptions,
  withContentSecurityPolicy,
} from '../../../../src-main/app/window-policy';

const APP_URL = 'file:///opt/Estafeta/resources/app.asar/out/renderer/index.html';

describe('Electron window policy (security checklist)', () => {
  it('isolates, sandboxes and keeps Node out of the renderer', () => {
    const prefs = webPreferences('/app/out/preload/preload.js');
    expect(prefs).toMatchObject({
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
      preload: '/app/out/preload/preload.js',
    });
    expect(windowOptions('/p.js').webPreferences).toEqual(webPreferences('/p.js'));
  });

  it('denies every new window, sending only web and mailto links to the system', () => {
    expect(decideWindowOpen('https://example.org/page')).toEqual({
      action: 'deny',
      openExternally: 'https://example.org/page',
    });
    expect(decideWindowOpen('mailto:bob@example.org')).toEqual({
      action: 'deny',
      openExternally: 'mailto:bob@example.org',
    });
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,hi',
      'smb://host/share',
      'not a url',
    ]) {
      expect(decideWindowOpen(url)).toEqual({ action: 'deny', openExternally: null });
    }
  });

  it('allows navigation only within the app page', () => {
    expect(decideNavigation(`${APP_URL}#folder=3`, APP_URL)).toEqual({ allow: true });
    expect(decideNavigation('https://evil.example/', APP_URL)).toEqual({
      allow: false,
      openExternally: 'https://evil.example/',
    });
    expect(decideNavigation('file:///etc/passwd', APP_URL)).toEqual({ allow: false, openExternally: null });
  });

  it('recognises the dev server origin as the app only when it is the app URL', () => {
    expect(isAppUrl('http://localhost:5173/index.html', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('garbage', APP_URL)).toBe(false);
  });

  it('denies every permission request', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'fullscreen',
    ]) {
      expect(decidePermission(permission)).toBe(false);
    }
  });

  it('only http, https and mailto count as safe external URLs', () => {
    expect(isSafeExternalUrl('https://a.example')).toBe(true);
    expect(isSafeExternalUrl('vbscript:msgbox')).toBe(false);
  });

  it('replaces any Content-Security-Policy header with the strict app policy', () => {
    const headers = withContentSecurityPolicy({
      'content-security-policy': ['default-src *'],
      'Content-Type': 'text/html',
    });
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['Content-Type']).toEqual(['text/html']);
    const csp = headers['Content-Security-Policy']?.[0] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
