// The background indexer waits while an account syncs (both share the main thread, issue 4), goes
// on by itself when the sync ends, never waits longer than its bound, and stops while waiting.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackgroundIndexer } from '../../../../src-main/search/background-indexer';
import { openStoreFixture, newMessage, type StoreFixture } from '../store/store-fixture';

let fx: StoreFixture;
let indexers: BackgroundIndexer[];

beforeEach(async () => {
  fx = await openStoreFixture();
  indexers = [];
  // Stored without inline indexing, like IMAP headers: listed in search_pending by trigger.
  for (let n = 1; n <= 5; n++) fx.store.messages.insert(newMessage(fx.inbox, n, { emlPath: '' }));
});

afterEach(async () => {
  await Promise.all(indexers.map((indexer) => indexer.stop()));
  await fx.dispose();
});

function indexer(isSyncing: () => boolean, maxSyncYieldMs = 60_000): BackgroundIndexer {
  const made = new BackgroundIndexer(fx.store, undefined, undefined, {
    isSyncing,
    syncYieldPollMs: 5,
    maxSyncYieldMs,
  });
  indexers.push(made);
  return made;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('BackgroundIndexer while a sync runs', () => {
  it('indexes nothing while the sync runs, and everything once it ended', async () => {
    let syncing = true;
    let asked = 0;
    const pass = indexer(() => {
      asked++;
      return syncing;
    }).schedule();
    // Bounded by count: the indexer looked at the sync state several times and still waits.
    for (let i = 0; i < 200 && asked < 5; i++) await sleep(5);
    expect(asked).toBeGreaterThanOrEqual(5);
    expect(fx.store.search.pendingCount()).toBe(5);
    syncing = false;
    await pass;
    expect(fx.store.search.pendingCount()).toBe(0);
  });

  it('runs at once when no sync runs', async () => {
    await indexer(() => false).schedule();
    expect(fx.store.search.pendingCount()).toBe(0);
  });

  it('does not wait past its bound for a sync that never ends', async () => {
    await indexer(() => true, 30).schedule();
    expect(fx.store.search.pendingCount()).toBe(0);
  });

  it('stops while waiting, leaving the messages listed for later', async () => {
    const waiting = indexer(() => true);
    const pass = waiting.schedule();
    await sleep(20);
    await waiting.stop();
    await pass;
    expect(fx.store.search.pendingCount()).toBe(5);
  });
});
