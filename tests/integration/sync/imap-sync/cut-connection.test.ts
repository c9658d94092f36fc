// The first sync of a 2,000-message Inbox through a TCP proxy that cuts every connection at
// random moments (headers phase, bodies phase, between commands). The moments are points in the
// sync's own progress (headers stored + bodies stored, out of 4,000), not wall-clock times, so they
// fall inside the sync however fast the machine or the engine is. After the engine reconnected
// by itself, the store equals the server: no message lost, none stored twice, flags equal, every
// body byte for byte.
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { seedMailbox } from '../../../support/seed-mailbox';
import { startTcpProxy, type TcpProxy } from '../../../support/tcp-proxy';
import {
  openImapSyncKit,
  otherDevice,
  serverMessages,
  statusOf,
  storedMessages,
  waitFor,
  type ImapSyncKit,
} from './imap-sync-kit';

const SEEDED = 2_000;
const CUTS = 10;
/** Progress units: every header stored, then every body stored. */
const WORK = 2 * SEEDED;
/** Cut points lie in 1%..90% of the work, so the last one still leaves bodies to fetch. */
const FIRST_CUT = Math.round(WORK * 0.01);
const LAST_CUT = Math.round(WORK * 0.9);
/** A random delay after a point is reached: the cut lands mid-command rather than on a commit. */
const MAX_JITTER_MS = 40;
const POLL_MS = 5;
const POINT_BOUND_MS = 120_000;
const SYNC_BOUND_MS = 240_000;
const PRNG_SEED = 20_261_123;

let servers: MailServers;
let proxy: TcpProxy;
let device: ImapFlow;
let kit: ImapSyncKit;

/** mulberry32: the same cut moments on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

beforeAll(async () => {
  servers = await startMailServers();
  await seedMailbox(servers, 'alice', SEEDED);
  proxy = await startTcpProxy({ host: servers.host, port: servers.ports.imaps });
  device = await otherDevice(servers, 'alice');
});

afterAll(async () => {
  await kit?.dispose();
  await proxy?.close();
  await device?.logout().catch(() => undefined);
  await servers?.stop();
});

/** Headers stored plus bodies stored in the Inbox (0 before its first LIST). */
function progress(): number {
  const inbox = kit.store.folders.findByPath(kit.accountId, 'INBOX');
  if (inbox === null) return 0;
  const headers = kit.store.imapSync.uids(inbox.id).length;
  return headers + headers - kit.store.imapSync.countBodyless(inbox.id);
}

async function progressReaches(point: number): Promise<void> {
  const deadline = Date.now() + POINT_BOUND_MS;
  while (progress() < point) {
    if (Date.now() > deadline) throw new Error(`sync progress stuck below ${point} of ${WORK}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

describe('a first sync cut at random moments', () => {
  it('ends with the store equal to the server: nothing lost, nothing twice, flags and bytes equal', async () => {
    kit = await openImapSyncKit(servers, {
      port: proxy.port,
      timing: { retryInitialMs: 100, retryMaxMs: 800 },
    });
    const random = prng(PRNG_SEED);
    const points = Array.from({ length: CUTS }, () =>
      Math.round(FIRST_CUT + random() * (LAST_CUT - FIRST_CUT)),
    ).sort((a, b) => a - b);
    let connectionsAtCut = 0;
    for (const point of points) {
      // Each cut hits a live session: the engine has reconnected since the previous one.
      await waitFor(
        'a reconnect after the last cut',
        POINT_BOUND_MS,
        () => proxy.connections > connectionsAtCut,
      );
      await progressReaches(point);
      await new Promise((resolve) => setTimeout(resolve, random() * MAX_JITTER_MS));
      connectionsAtCut = proxy.connections;
      proxy.cutAll();
    }
    // The cuts fell inside the sync, not after it: at the last one bodies were still missing.
    const inbox = kit.store.folders.findByPath(kit.accountId, 'INBOX');
    const unfinished =
      inbox === null || kit.rowsOf('INBOX').size < SEEDED || kit.store.imapSync.countBodyless(inbox.id) > 0;
    expect(unfinished).toBe(true);
    const offlineSeen = kit.events.filter((e) => e.event === 'sync.state' && e.payload.state === 'offline');
    expect(offlineSeen.length).toBeGreaterThan(0);
    expect(proxy.connections).toBeGreaterThan(CUTS);

    await waitFor(
      'the engine back to idle after the cuts',
      SYNC_BOUND_MS,
      () => statusOf(kit).state === 'idle',
    );
    await kit.engines.checkNow(kit.accountId);
    expect(statusOf(kit)).toMatchObject({ state: 'idle', message: null });

    const server = await serverMessages(device, 'INBOX');
    expect(server.size).toBe(SEEDED);
    expect(storedMessages(kit, 'INBOX')).toEqual(server);

    const rows = kit.rowsOf('INBOX');
    const lock = await device.getMailboxLock('INBOX');
    let compared = 0;
    try {
      for await (const row of device.fetch('1:*', { uid: true, source: true }, { uid: true })) {
        const stored = rows.get(row.uid);
        const bytes = await kit.store.emlFiles.read(stored?.emlPath ?? '');
        if (!bytes.equals(row.source ?? Buffer.alloc(0))) throw new Error(`UID ${row.uid}: bytes differ`);
        compared++;
      }
    } finally {
      lock.release();
    }
    expect(compared).toBe(SEEDED);
  });
});
