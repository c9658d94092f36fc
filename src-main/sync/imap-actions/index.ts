// The durable queue of IMAP actions and its replay to the server (see action-queue.ts).
export { ImapActionQueue, MAX_REPLAY_ATTEMPTS, MAX_ACTIONS_PER_REPLAY } from './action-queue';
export type { ImapActionStore } from './action-queue';
