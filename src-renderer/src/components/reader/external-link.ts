/**
 * Links in mail open outside the app: in the system browser (Electron routes window.open through
 * window-policy's setWindowOpenHandler to shell.openExternal) or in a new tab without an opener
 * (browser mode). The app itself never navigates.
 */
import { openableUrl } from './link-target';

export function openExternalLink(href: string | null | undefined): void {
  const url = openableUrl(href);
  if (url !== null) window.open(url, '_blank', 'noopener,noreferrer');
}
