import type { PortMapping } from './soracom';

/**
 * How a mapping the bot opened came to an end, whoever noticed it first: the audit log (EXPIRED / DELETED),
 * the clock (its `expiredTime` passed), or SORACOM's listing (it is gone, or listed as expired).
 * `closed` is the bot's own delete (Close now, Extend replacing it), which the bot records as it does it.
 */
export interface MappingEnd {
  readonly how: 'expired' | 'deleted' | 'closed';
  /** When it ended; for a delete only the listing saw, when it was first missed. */
  readonly atMs: number;
  readonly evidence: 'audit-log' | 'clock' | 'listing' | 'bot';
}

/** The part of a mapping the bot opened that tells it apart in SORACOM's listing (times are SORACOM's). */
export interface OpenedMapping {
  /** The public entry point: what DELETE takes and the listing shows. Never shown in a channel. */
  readonly ipAddress: string;
  readonly port: number;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
}

/**
 * SORACOM may hand an endpoint out again after a mapping is gone; a listed mapping is the same one only
 * when it was also created at about the same time. Its own times come from SORACOM, so a few seconds suffice.
 */
export const SAME_MAPPING_TOLERANCE_MS = 5_000;

/**
 * Whether a mapping the bot opened has ended, from SORACOM's listing of its SIM (or of the operator):
 * undefined while it is listed and active. Listed as expired, or missing once its time is up, it expired
 * at its `expiredTime`; missing before that, someone deleted it (the bot's own deletes are recorded by the
 * bot as `closed` before this could see them), noticed now: the listing does not say when.
 */
export function endFromListing(opened: OpenedMapping, listed: readonly PortMapping[], nowMs: number): MappingEnd | undefined {
  const same = listed.find(
    (mapping) =>
      mapping.ipAddress === opened.ipAddress && mapping.port === opened.port && Math.abs(mapping.createdAtMs - opened.createdAtMs) <= SAME_MAPPING_TOLERANCE_MS,
  );
  const expiredTimePassed = nowMs >= opened.expiresAtMs;
  if (same !== undefined && !same.expired && !expiredTimePassed) return undefined;
  if (same !== undefined || expiredTimePassed) {
    return { how: 'expired', atMs: Math.min(same?.expiresAtMs ?? opened.expiresAtMs, opened.expiresAtMs), evidence: 'listing' };
  }
  return { how: 'deleted', atMs: nowMs, evidence: 'listing' };
}
