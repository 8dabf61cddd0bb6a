import type { MessageRef } from '../domain/i18n/message-ref';
import type { SimSnapshot } from '../domain/soracom';
import { authorize, isAdmin, policySim } from '../policy/index';
import { authorizeOrDeny } from './authorize';
import type { Actor, UseCaseDeps } from './deps';
import { type ListedMapping, listMappings } from './list-mappings';

export type ListOutcome =
  | { readonly kind: 'denied'; readonly reason: MessageRef }
  | {
      readonly kind: 'listed';
      /** The rows the person may see, newest expiry last. */
      readonly items: readonly ListedMapping[];
      /** Bot admins see every endpoint; others only their own. */
      readonly isAdmin: boolean;
      /** Rows on SIMs the policy does not let them list: counted, never shown. */
      readonly hidden: number;
    };

/**
 * `/napter list [<sim>]`: active mappings with who opened them. Listing is asked of the policy once; listing every
 * SIM, a row shows only where the policy would let the person list that SIM (or the mapping is theirs).
 */
export async function listFor(deps: UseCaseDeps, actor: Actor, channelId: string, sim: SimSnapshot | undefined): Promise<ListOutcome> {
  const access = await authorizeOrDeny(deps, actor, { action: 'list', channelId, sim });
  if (!access.allowed) return { kind: 'denied', reason: access.reason };
  const items = await listMappings({ api: deps.api, store: deps.store, nowMs: deps.clock.nowMs() }, sim);
  const admin = isAdmin(deps.policy, actor.userId, actor.userGroupIds);
  const mayList = (item: ListedMapping): boolean =>
    item.stored?.openedBy.userId === actor.userId ||
    (item.sim !== undefined &&
      authorize(deps.policy, { action: 'list', userId: actor.userId, userGroupIds: actor.userGroupIds, channelId, sim: policySim(item.sim) }).allowed);
  const visible = sim !== undefined || admin ? items : items.filter(mayList);
  return { kind: 'listed', items: visible, isAdmin: admin, hidden: items.length - visible.length };
}
