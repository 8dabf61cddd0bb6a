import { randomBytes } from 'node:crypto';
import type { Clock } from '../common/clock';
import { err, ok, type Result } from '../domain/result';

/**
 * trigger_ids as the fake models them (Slack documents only "use it within 3 seconds"; the rest is the
 * widely reported behaviour, not confirmed against Slack):
 * - unknown → `invalid_trigger_id`;
 * - older than the TTL (default 3000 ms) by the fake's clock → `expired_trigger_id`;
 * - already used by a successful views.open/views.push → `invalid_trigger_id`;
 * - a call that fails for another reason (a bad view) does not use the trigger up.
 */
export type TriggerProblem = 'invalid_trigger_id' | 'expired_trigger_id';

interface IssuedTrigger {
  userId: string;
  issuedAtMs: number;
  used: boolean;
}

export class TriggerIds {
  private readonly issued = new Map<string, IssuedTrigger>();
  private counter = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  issue(userId: string): string {
    this.counter += 1;
    const id = `${1_000_000_000 + this.counter}.${Math.floor(this.clock.nowMs() / 1000)}.${randomBytes(16).toString('hex')}`;
    this.issued.set(id, { userId, issuedAtMs: this.clock.nowMs(), used: false });
    return id;
  }

  /** Whether the trigger could open a view now; does not use it up. */
  check(triggerId: string | undefined): Result<{ userId: string }, TriggerProblem> {
    const trigger = triggerId === undefined ? undefined : this.issued.get(triggerId);
    if (trigger === undefined || trigger.used) return err('invalid_trigger_id');
    if (this.clock.nowMs() - trigger.issuedAtMs > this.ttlMs) return err('expired_trigger_id');
    return ok({ userId: trigger.userId });
  }

  use(triggerId: string): void {
    const trigger = this.issued.get(triggerId);
    if (trigger !== undefined) trigger.used = true;
  }

  clear(): void {
    this.issued.clear();
  }
}
