import { SeededRandom } from './random';

/**
 * Injected failures, for testing how callers survive a misbehaving SORACOM. A rule targets a method and a
 * path pattern (`*` matches anything, e.g. `/v1/port_mappings*`), lets the first `after` matching calls through
 * (none when omitted: a fault in the middle of a flow), applies to the next `count` matching calls (unlimited
 * when omitted), and with `probability` only to a deterministic, seeded share of them.
 *
 * Kinds:
 * - `latency`: wait `latencyMs` before answering (combines with the others).
 * - `error-5xx`: a load balancer's text/plain error (`status`, default 503); nothing happens server-side.
 * - `rate-limit`: a 429 with `X-Soracom-Ratelimit-Remaining: 0`; nothing happens server-side.
 * - `hang`: never answer (the socket stays open until the caller gives up or the simulator closes).
 * - `drop`: destroy the socket before doing anything.
 * - `malformed-json`: do the call, then answer with a body that is not JSON.
 * - `wrong-shape`: do the call, then answer with JSON of the wrong shape (object for array and back).
 * - `commit-then-drop`: do the call (e.g. create the mapping), then destroy the socket: the response is lost.
 * - `commit-then-5xx`: do the call, then answer a load balancer 5xx instead of the real response.
 * - `device-silent`: a downlink call (`/downlink/tcp`, `/downlink/http`) finds the device silent this time
 *   (a radio hiccup): SORACOM's 422 comes after the whole wait, as the spec has it for no data.
 * - `token-expired`: answer 401 with SORACOM's expired-token error before doing anything (a token that lapsed
 *   or was revoked in the middle of a flow).
 */
export const FAULT_KINDS = [
  'latency',
  'error-5xx',
  'rate-limit',
  'hang',
  'drop',
  'malformed-json',
  'wrong-shape',
  'commit-then-drop',
  'commit-then-5xx',
  'device-silent',
  'token-expired',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  readonly kind: FaultKind;
  readonly method?: string;
  readonly path?: string;
  readonly count?: number;
  /** Matching calls let through before the rule starts to apply. */
  readonly after?: number;
  readonly probability?: number;
  readonly latencyMs?: number;
  readonly status?: number;
}

export interface FaultSpec {
  readonly seed?: number;
  readonly rules?: readonly FaultRule[];
}

export interface ActiveFault {
  readonly id: number;
  readonly rule: FaultRule;
  /** Calls it still applies to; undefined: unlimited. */
  remaining: number | undefined;
  /** Matching calls still to let through. */
  skip: number;
  applied: number;
}

/** What the server must do for one call. */
export interface FaultPlan {
  readonly latencyMs: number;
  /** A fault that replaces or spoils the answer, if any (the first matching one wins). */
  readonly action: Exclude<FaultKind, 'latency'> | undefined;
  readonly status: number;
}

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export class FaultController {
  private faults: ActiveFault[] = [];
  private nextId = 1;
  private random: SeededRandom;

  constructor(spec?: FaultSpec) {
    this.random = new SeededRandom(spec?.seed ?? 1);
    for (const rule of spec?.rules ?? []) this.add(rule);
  }

  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.faults.push({ id, rule, remaining: rule.count, skip: rule.after ?? 0, applied: 0 });
    return id;
  }

  remove(id: number): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((fault) => fault.id !== id);
    return this.faults.length !== before;
  }

  clear(): void {
    this.faults = [];
  }

  reseed(seed: number): void {
    this.random = new SeededRandom(seed);
  }

  list(): readonly ActiveFault[] {
    return this.faults;
  }

  /** Decides the faults for one call and uses up their counts. */
  plan(method: string, path: string): FaultPlan {
    let latencyMs = 0;
    let action: FaultPlan['action'];
    let status = 503;
    for (const fault of this.faults) {
      const { rule } = fault;
      if (fault.remaining !== undefined && fault.remaining <= 0) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.path !== undefined && !patternToRegExp(rule.path).test(path)) continue;
      if (rule.kind !== 'latency' && action !== undefined) continue;
      if (fault.skip > 0) {
        fault.skip -= 1;
        continue;
      }
      if (rule.probability !== undefined && this.random.next() >= rule.probability) continue;
      if (fault.remaining !== undefined) fault.remaining -= 1;
      fault.applied += 1;
      if (rule.kind === 'latency') {
        latencyMs += rule.latencyMs ?? 0;
      } else {
        action = rule.kind;
        status = rule.status ?? (rule.kind === 'rate-limit' ? 429 : rule.kind === 'token-expired' ? 401 : 503);
      }
    }
    this.faults = this.faults.filter((fault) => fault.remaining === undefined || fault.remaining > 0);
    return { latencyMs, action, status };
  }
}
