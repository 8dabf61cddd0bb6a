import { hostCidr } from '../domain/net/index';
import type { SimSnapshot } from '../domain/soracom';
import type { Actor, UseCaseDeps } from './deps';
import { type OpenOutcome, openFrom } from './open';
import { type PendingOpen, parsePendingOpen } from './open-records';
import type { IpCapture } from './ports/store';

/**
 * The address an IP page Confirm carries, and how the server knows it. `seen`: the server itself saw it, directly
 * or through a trusted proxy. `claimed`: the server saw only a private peer, so the address is what the browser
 * reported (an IP-echo service's answer, or typed): a claim anyone holding the link can make.
 */
export interface ConfirmedAddress {
  readonly ip: string;
  readonly proof: 'seen' | 'claimed';
}

export type ConfirmOutcome =
  /** The link holds a request this version cannot read: the person runs the command again. */
  | { readonly kind: 'stale' }
  | { readonly kind: 'sim-gone'; readonly simId: string }
  | { readonly kind: 'asked'; readonly sim: SimSnapshot; readonly pending: PendingOpen; readonly outcome: OpenOutcome };

/**
 * The IP page's Confirm: the person gave their global address; the open their link waits for goes ahead from it.
 * Only an address the server saw itself is remembered as "last confirmed" and may reveal another person's mapping;
 * one the browser reported counts like a typed one. However it ends, the link's work is marked finished: only one
 * cut off by a dying process is offered again at the next start.
 */
export async function confirmCapturedIp(
  deps: UseCaseDeps,
  request: { readonly actor: Actor; readonly capture: IpCapture; readonly address: ConfirmedAddress; readonly onOpening?: (sim: SimSnapshot) => Promise<void> },
): Promise<ConfirmOutcome> {
  const { actor, capture, address } = request;
  try {
    const pending = parsePendingOpen(capture.request);
    if (pending === undefined) {
      deps.logger.warn('IP capture holds a request this version cannot read', capture.id);
      return { kind: 'stale' };
    }
    const sourceCidr = hostCidr(address.ip);
    if (address.proof === 'seen') await deps.store.lastIps.set(capture.teamId, capture.userId, address.ip);
    await deps.store.ledger.record({
      kind: 'ip-confirmed',
      teamId: capture.teamId,
      userId: capture.userId,
      channelId: capture.channelId,
      simId: pending.simId,
      devicePort: pending.devicePort,
      sourceCidr,
      details: { captureId: capture.id, proof: address.proof },
    });
    const sim = await deps.api.getSim(pending.simId);
    if (sim === undefined) return { kind: 'sim-gone', simId: pending.simId };
    const outcome = await openFrom(
      deps,
      {
        actor,
        channelId: capture.channelId,
        sim,
        intent: { ...pending, source: { kind: 'cidr', cidr: sourceCidr } },
        requestKey: `capture:${capture.id}`,
        responseUrl: capture.responseUrl,
        onOpening: request.onOpening,
      },
      sourceCidr,
      address.proof === 'seen' ? 'me' : 'claimed',
    );
    return { kind: 'asked', sim, pending, outcome };
  } finally {
    await deps.store.ipCaptures.finish(capture.id);
  }
}

/**
 * The link button ("Confirm my IP address") is a URL button, yet Slack still sends its click, with a response_url
 * that replaces the very message carrying the link. Remembered on the link while it is open and the clicker's, it
 * lets Confirm update that message in place wherever the link was sent. False when it was not taken.
 */
export async function rememberLinkMessage(deps: Pick<UseCaseDeps, 'store'>, actor: Actor, captureId: string, responseUrl: string): Promise<boolean> {
  return deps.store.ipCaptures.attachResponseUrl(captureId, { teamId: actor.teamId, userId: actor.userId }, responseUrl);
}
