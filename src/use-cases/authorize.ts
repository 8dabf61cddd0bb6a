import type { MessageRef } from '../domain/i18n/message-ref';
import type { SimSnapshot } from '../domain/soracom';
import { authorize, type PolicyAction, type PolicyLimits, policySim } from '../policy/index';
import type { Actor, UseCaseDeps } from './deps';

/** What a request asks the policy for, and what its ledger row names should it be denied. */
export interface AccessRequest {
  readonly action: PolicyAction;
  /** The conversation the action is about (where the request came from, or where the thing lives). */
  readonly channelId: string;
  /** The SIM, read fresh so that selectors on its group and tags apply. */
  readonly sim?: SimSnapshot | undefined;
  /** The SIM's ID for the ledger when there is no snapshot. */
  readonly simId?: string | undefined;
  readonly mappingId?: string | undefined;
  readonly mappingOpenedBy?: string | undefined;
  readonly devicePort?: number | undefined;
  readonly durationSec?: number | undefined;
  readonly sourceCidr?: string | undefined;
}

/** `limits`: the most generous of the rules that allow it (Extend bounds the access by its longest duration). */
export type Access = { readonly allowed: true; readonly limits: PolicyLimits } | { readonly allowed: false; readonly reason: MessageRef };

/**
 * The one policy check of a request, for the person asking (never whoever ran an earlier command). Every denial
 * leaves a ledger row naming the action and the reason, whichever command or button was refused.
 */
export async function authorizeOrDeny(deps: Pick<UseCaseDeps, 'policy' | 'store'>, actor: Actor, request: AccessRequest): Promise<Access> {
  const decision = authorize(deps.policy, {
    action: request.action,
    userId: actor.userId,
    userGroupIds: actor.userGroupIds,
    channelId: request.channelId,
    sim: request.sim === undefined ? undefined : policySim(request.sim),
    mappingOpenedBy: request.mappingOpenedBy,
    devicePort: request.devicePort,
    durationSec: request.durationSec,
    sourceCidr: request.sourceCidr,
  });
  if (decision.allowed) return { allowed: true, limits: decision.limits };
  await deps.store.ledger.record({
    kind: 'denied',
    teamId: actor.teamId,
    userId: actor.userId,
    channelId: request.channelId,
    simId: request.sim?.simId ?? request.simId,
    mappingId: request.mappingId,
    devicePort: request.devicePort,
    sourceCidr: request.sourceCidr,
    details: { action: request.action, reason: decision.reason.key },
  });
  return { allowed: false, reason: decision.reason };
}
