/**
 * Desktop notifications for new mail through the web Notification API (it works in Electron's
 * renderer and in browser mode). Permission is asked only after a user action (the first "Get
 * mail", or the button in Settings), never at start-up; when it is denied nothing is shown.
 */
import { t, tn } from '../../i18n';
import type { EventPayload } from '../api/contract-types';

export type NotificationPermissionState = 'default' | 'granted' | 'denied' | 'unsupported';

/** The part of the browser the notifier uses, passed in so tests can watch it. */
export interface NotificationHost {
  readonly permission: () => NotificationPermissionState;
  readonly requestPermission: () => Promise<NotificationPermissionState>;
  readonly show: (title: string, body: string) => void;
}

export class DesktopNotifier {
  readonly #host: NotificationHost;
  readonly #folderName: (folderId: number) => string | null;

  constructor(host: NotificationHost, folderName: (folderId: number) => string | null) {
    this.#host = host;
    this.#folderName = folderName;
  }

  get permission(): NotificationPermissionState {
    return this.#host.permission();
  }

  /** Asks once, politely: only while the user has not answered yet. */
  async askPermission(): Promise<NotificationPermissionState> {
    if (this.#host.permission() !== 'default') return this.#host.permission();
    try {
      return await this.#host.requestPermission();
    } catch {
      return 'denied';
    }
  }

  mailArrived({ folderId, count }: EventPayload<'mail.arrived'>): void {
    if (count <= 0 || this.#host.permission() !== 'granted') return;
    const folder = this.#folderName(folderId);
    const body = folder === null ? tn('notify.newMail', count) : tn('notify.newMailIn', count, { folder });
    try {
      this.#host.show(t('notify.title'), body);
    } catch {
      // A platform without a notification service: the unread counts still show the new mail.
    }
  }
}

/** The real browser's Notification API, or one that reports `unsupported`. */
export function browserNotificationHost(): NotificationHost {
  const api = typeof Notification === 'undefined' ? null : Notification;
  return {
    permission: () => api?.permission ?? 'unsupported',
    requestPermission: async () => (api ? await api.requestPermission() : 'unsupported'),
    show: (title, body) => {
      if (api) new api(title, { body, tag: 'estafeta-new-mail' });
    },
  };
}
