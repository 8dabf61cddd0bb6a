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
