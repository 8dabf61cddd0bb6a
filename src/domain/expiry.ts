import { MAX_MAPPING_DURATION_SEC } from './soracom';

/**
 * Before a mapping ends: when the requester is reminded, and what Extend asks of SORACOM. Napter cannot
 * lengthen a mapping, so Extend is a new mapping for the same device, port, source range and TLS setting,
 * starting now and ending later than the old one; the old one is deleted once the new one exists.
 */

export const DEFAULT_REMINDER_LEAD_SEC = 5 * 60;
export const DEFAULT_EXTENSION_SEC = 30 * 60;
/** A reminder is worth sending only with at least this long left to act on it, and not in the mapping's first minute. */
export const MIN_REMINDER_NOTICE_MS = 60_000;
/** Less than this added is no extension worth a new endpoint. */
export const MIN_EXTENSION_SEC = 60;

export interface MappingTimes {
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
}

/**
 * When the reminder is due: `leadSec` before the end. A mapping hardly longer than the lead gets none: its
 * reply already says when it ends, and a reminder a moment after the open would only be noise.
 */
export function reminderDueAtMs(mapping: MappingTimes, leadSec: number = DEFAULT_REMINDER_LEAD_SEC): number | undefined {
  const dueAtMs = mapping.expiresAtMs - leadSec * 1000;
  return dueAtMs >= mapping.createdAtMs + MIN_REMINDER_NOTICE_MS ? dueAtMs : undefined;
}

export type ReminderDecision =
  | { readonly kind: 'wait'; readonly untilMs: number }
  | { readonly kind: 'send' }
  /** `ended`: the end notice says it instead; `too-late`: less than MIN_REMINDER_NOTICE_MS left (a job run late, after a restart). */
  | { readonly kind: 'skip'; readonly reason: 'no-reminder' | 'ended' | 'too-late' };

/** What a reminder job does when it runs, possibly late (after a restart): send, wait, or let it go. */
export function reminderDecision(input: {
  readonly mapping: MappingTimes;
  readonly ended: boolean;
  readonly nowMs: number;
  readonly leadSec?: number;
}): ReminderDecision {
  const dueAtMs = reminderDueAtMs(input.mapping, input.leadSec);
  if (dueAtMs === undefined) return { kind: 'skip', reason: 'no-reminder' };
  if (input.ended || input.nowMs >= input.mapping.expiresAtMs) return { kind: 'skip', reason: 'ended' };
  if (input.nowMs < dueAtMs) return { kind: 'wait', untilMs: dueAtMs };
  if (input.mapping.expiresAtMs - input.nowMs < MIN_REMINDER_NOTICE_MS) return { kind: 'skip', reason: 'too-late' };
  return { kind: 'send' };
}

export interface ExtensionInput {
  readonly mapping: MappingTimes;
  /**
   * When the access began: the creation of the first mapping of this chain of Extends. The policy's longest
   * duration bounds the whole access, not each new mapping, or Extend would make any limit endless.
   */
  readonly accessStartedAtMs: number;
  readonly nowMs: number;
  /** The longest duration the policy allows this user for this SIM and port, checked again for the Extend. */
  readonly policyMaxDurationSec: number;
  readonly extensionSec?: number;
}

export type ExtensionPlan =
  | {
      readonly ok: true;
      /** The new mapping's `duration` (whole seconds, as the API takes it), counted from now. */
      readonly durationSec: number;
      readonly expiresAtMs: number;
      /** How much later than the old end. */
      readonly addedSec: number;
      /** What cut the extension short, if anything: the policy's longest access, or Napter's 8 hours from now. */
      readonly limitedBy: 'none' | 'policy' | 'napter';
    }
  | {
      readonly ok: false;
      /**
       * `ended`: nothing left to extend (Open again instead). `policy-limit`: the access has lasted as long as
       * the policy allows (the remaining budget is zero, or under a minute): the mapping keeps its end, and a
       * longer access is a new request (Open again), which the policy judges afresh. `napter-limit`: the
       * mapping already ends about 8 hours from now, Napter's longest.
       */
      readonly reason: 'ended' | 'policy-limit' | 'napter-limit';
      /** When the access must end under the policy (for the message). */
      readonly policyEndsAtMs: number;
    };

export function planExtension(input: ExtensionInput): ExtensionPlan {
  const extensionMs = Math.max(MIN_EXTENSION_SEC, input.extensionSec ?? DEFAULT_EXTENSION_SEC) * 1000;
  const policyEndsAtMs = input.accessStartedAtMs + input.policyMaxDurationSec * 1000;
  if (input.nowMs >= input.mapping.expiresAtMs) return { ok: false, reason: 'ended', policyEndsAtMs };
  const napterEndsAtMs = input.nowMs + MAX_MAPPING_DURATION_SEC * 1000;
  const wantedEndMs = input.mapping.expiresAtMs + extensionMs;
  const endMs = Math.min(wantedEndMs, policyEndsAtMs, napterEndsAtMs);
  // Whole seconds from now: the API takes seconds, and a shorter grant never overshoots a bound.
  const durationSec = Math.floor((endMs - input.nowMs) / 1000);
  const expiresAtMs = input.nowMs + durationSec * 1000;
  const addedSec = Math.floor((expiresAtMs - input.mapping.expiresAtMs) / 1000);
  if (addedSec < MIN_EXTENSION_SEC) return { ok: false, reason: endMs === policyEndsAtMs ? 'policy-limit' : 'napter-limit', policyEndsAtMs };
  const limitedBy = endMs === wantedEndMs ? 'none' : endMs === policyEndsAtMs ? 'policy' : 'napter';
  return { ok: true, durationSec, expiresAtMs, addedSec, limitedBy };
}
