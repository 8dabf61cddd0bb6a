/**
 * Watching the mappings the bot opened, as one shared poll of the operator's Napter audit log. The poll job
 * (one row of the durable scheduler, claimed with a lease) does, each time it runs:
 *
 *   1. load the cursor row (`parseAuditCursor`, EMPTY_AUDIT_CURSOR when there is none) and every unfinished
 *      watch (its WatchedMapping and `parseWatchState` of its state row);
 *   2. `nextAuditWindow(cursor, watches, now)`: undefined means nothing is watched, so the job is not re-armed;
 *   3. `OperatorAuditLogReader.readOperatorAuditLog(window)` (src/soracom/client.ts): one read, every page;
 *   4. on `read`: `applyAuditRead({ cursor, window, events, watches, nowMs })`, then in ONE transaction store
 *      the new cursor, the changed states, and the updates as outbox rows (Slack delivery goes from there,
 *      through a FairUpdateQueue per workspace keyed by the card's channel:ts; `requesterMessages` for the
 *      requester's private note when `changes` is not empty, `cardMessages` for the card); drop `finished`
 *      watches; for `checkListing`, list the SIM's mappings and `endWatch(…, endFromListing(…))`;
 *   5. re-arm itself after `nextPoll(activeWatches, outcome)` (`stop`: not at all; a new watch arms it).
 *
 * A crash before step 4's transaction repeats the read with the same cursor and states, which tells the same
 * things again to a store that kept none of them: nothing is lost, nothing is told twice. Ends noticed outside
 * a read (Close now, Extend replacing a mapping, the expiry check, reconciliation at start) go through
 * `endWatch`, which tells an end once whoever notices it first.
 */
export * from './types';
export { DEFAULT_WATCH_OPTIONS, EMPTY_AUDIT_CURSOR, advanceCursor, auditEventKey, nextAuditWindow, parseAuditCursor } from './cursor';
export { MAX_SUMMARY_SOURCES, emptyWatchState, parseWatchState, requesterLikelihood, summariseWatch } from './state';
export {
  applyAuditRead,
  endWatch,
  isWatchFinished,
  type AuditReadInput,
  type AuditReadResult,
  type WatchInput,
} from './apply-read';
export { DEFAULT_CADENCE, nextPoll, type CadenceOptions, type NextPoll, type PollOutcome } from './cadence';
export { cardMessages, endMessage, extensionMessage, requesterMessages, type WatchTextRender } from './messages';
