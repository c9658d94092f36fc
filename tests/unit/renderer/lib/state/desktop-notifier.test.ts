import { describe, expect, it } from 'vitest';
import {
  DesktopNotifier,
  type NotificationHost,
  type NotificationPermissionState,
} from '../../../../../src-renderer/src/lib/state/desktop-notifier';

function fakeHost(initial: NotificationPermissionState, answer: NotificationPermissionState = 'granted') {
  let permission = initial;
  const shown: { title: string; body: string }[] = [];
  let asked = 0;
  const host: NotificationHost = {
    permission: () => permission,
    requestPermission: async () => {
      asked += 1;
      permission = answer;
      return answer;
    },
    show: (title, body) => shown.push({ title, body }),
  };
  return { host, shown, asked: () => asked };
}

const folderNames = (id: number) => (id === 5 ? 'Inbox' : null);

describe('desktop notifications for new mail', () => {
  it('announces new mail with its count and folder once permission is granted', () => {
    const { host, shown } = fakeHost('granted');
    new DesktopNotifier(host, folderNames).mailArrived({ accountId: 1, folderId: 5, count: 3 });
    expect(shown).toEqual([{ title: 'New mail', body: '3 new messages in Inbox' }]);
  });

  it('shows nothing while permission is not granted or nothing arrived', () => {
    for (const state of ['default', 'denied', 'unsupported'] as const) {
      const { host, shown } = fakeHost(state);
      new DesktopNotifier(host, folderNames).mailArrived({ accountId: 1, folderId: 5, count: 2 });
      expect(shown).toEqual([]);
    }
    const { host, shown } = fakeHost('granted');
    new DesktopNotifier(host, folderNames).mailArrived({ accountId: 1, folderId: 5, count: 0 });
    expect(shown).toEqual([]);
  });

  it('asks only while the user has not answered, and never again after a denial', async () => {
    const undecided = fakeHost('default', 'denied');
    const notifier = new DesktopNotifier(undecided.host, folderNames);
    await expect(notifier.askPermission()).resolves.toBe('denied');
    await expect(notifier.askPermission()).resolves.toBe('denied');
    expect(undecided.asked()).toBe(1);
  });

  it('survives a platform whose notification service throws', () => {
    const host: NotificationHost = {
      permission: () => 'granted',
      requestPermission: async () => 'granted',
      show: () => {
        throw new Error('no notification daemon');
      },
    };
    expect(() =>
      new DesktopNotifier(host, folderNames).mailArrived({ accountId: 1, folderId: 9, count: 1 }),
    ).not.toThrow();
  });
});
