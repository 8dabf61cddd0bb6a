import type { SimRef } from '../../../domain/command/types';
import type { SimSnapshot } from '../../../domain/soracom';
import { resolveSim, simRefText } from '../../../use-cases/resolve-sim';
import { simAmbiguousMessage, simNotFoundMessage } from '../../blocks/errors';
import type { CommandRun } from './napter';

/** The SIM the command names, or undefined once the requester was told none or several fit. */
export async function simOrReply(run: CommandRun<unknown>, ref: SimRef, subcommand: string): Promise<SimSnapshot | undefined> {
  const { responder, actor } = run.ctx;
  const typed = simRefText(ref);
  const resolution = await resolveSim(run.deps.api, ref);
  if (resolution.kind === 'found') return resolution.sim;
  run.ctx.outcome = resolution.kind;
  await responder.replace(
    resolution.kind === 'not-found' ? simNotFoundMessage(actor.lang, typed) : simAmbiguousMessage(actor.lang, typed, resolution.candidates, subcommand),
  );
  return undefined;
}
