import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { AnyMiddlewareArgs, App, Context, Middleware } from '@slack/bolt';
import { errorCodeOf } from '../../common/errors';
import { msg } from '../../domain/i18n/message-ref';
import { childLogger, type LogFields, withLogFields } from '../../common/logger';
import { firstDelivery } from '../../use-cases/deliveries';
import type { Actor } from '../../use-cases/deps';
import { failureMessage, plainMessageRef } from '../blocks/errors';
import type { SlackDeps } from '../deps';
import { describeFailure } from '../failure';
import { DELIVERY_MEMORY_MS } from '../request-gate';
import { createResponder, type Responder } from './responder';
import { describeRequest, type SlackRequest } from './request';

/** What every listener finds in `context.napter`: the request, who asks, and how to answer them. */
export interface RequestContext {
  readonly request: SlackRequest;
  readonly actor: Actor;
  readonly responder: Responder;
  /** How it ended, as the listener says (`opened`, `denied`…); `done` when it says nothing. */
  outcome: string;
  /** What it was, for its report: the request's name until the listener knows better (a command's subcommand). */
  name: string;
  /** Every log line written on its behalf carries these (request id, team, user). */
  readonly logFields: LogFields;
}

/** One line per request once it is over: where metrics and request logs hook in. */
export interface RequestReport {
  readonly request: SlackRequest;
  readonly actor: Actor | undefined;
  /** The listener's outcome, `duplicate` for a redelivery, `failed` for an error the user was told about. */
  readonly outcome: string;
  readonly ackMs: number;
  readonly durationMs: number;
}

/** The request context a listener runs in; the pipeline put it there. */
export function napter(context: Context): RequestContext {
  const found = context['napter'] as RequestContext | undefined;
  if (found === undefined) throw new Error('A listener ran outside the request pipeline');
  return found;
}

/**
 * The one pipeline every command, click and modal submission goes through, as Bolt global middleware:
 * ack at once → drop a redelivery (one rule, one memory) → yield, so that the ack is written before any work
 * starts → who asks (language, user groups) and one Responder in `context.napter` → the listener → a failure is
 * told to the user in their language, then handed to `app.error`, once. Modal submissions are acked by their
 * listener, which answers validation errors in the ack.
 */
export function requestPipeline(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const arrivedAt = performance.now();
    const request = describeRequest(args.body, Date.now());
    if (request === undefined) {
      await args.next();
      return;
    }
    const logFields: LogFields = { requestId: randomBytes(6).toString('hex'), teamId: request.teamId, userId: request.userId };
    await withLogFields(logFields, async () => {
      const ack = (args as { ack?: () => Promise<void> }).ack;
      if (request.kind !== 'view') {
        await ack?.();
        // The ack is written to the socket once the event loop turns: let it, and the acks of requests arriving
        // meanwhile, go out before anything of this request's work takes the loop.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const ackMs = Date.now() - request.receivedAtMs;
      const ackSeconds = request.kind === 'view' ? undefined : (performance.now() - arrivedAt) / 1000;
      const report = (actor: Actor | undefined, outcome: string, name = request.name) => {
        deps.onRequestDone?.({ request, actor, outcome, ackMs, durationMs: Date.now() - request.receivedAtMs });
        const kind = request.kind === 'command' ? 'command' : 'click';
        deps.metrics?.request({ kind, name, outcome, ackSeconds });
      };

      if (!(await firstDelivery(deps, `${request.teamId}:${request.triggerId}`, DELIVERY_MEMORY_MS))) {
        deps.logger.info('Ignored a second delivery of the same request', request.kind, request.name);
        if (request.kind === 'view') await ack?.();
        report(undefined, 'duplicate');
        return;
      }
      let failure: unknown;
      /** The request's work; `stopped`: the process stopped before its turn came, which is all the user is told. */
      const work = async (stopped: boolean) => {
        const actor = await deps.actors.resolve(args.client, request);
        const responder = createResponder({
          client: args.client,
          logger: deps.logger,
          responseUrl: request.responseUrl,
          channelId: request.channelId,
          userId: request.userId,
          fromOwnMessage: request.fromOwnMessage,
          showsProgress: request.kind === 'command',
        });
        if (stopped) {
          report(actor, 'stopped');
          await responder.replace(plainMessageRef(actor.lang, msg('slack.error.restarting')));
          return;
        }
        const context: RequestContext = { request, actor, responder, outcome: 'done', name: request.name, logFields };
        args.context['napter'] = context;
        try {
          await args.next();
          report(actor, context.outcome, context.name);
        } catch (error) {
          failure = error;
          report(actor, 'failed', context.name);
          await responder
            .replace(failureMessage(actor.lang, describeFailure(error), errorCodeOf(error)))
            .catch((tellError: unknown) => deps.logger.warn('Could not tell the user about a failure', errorCodeOf(tellError)));
        }
      };
      // A command's work takes its turn (its ack is out); a click or a modal may have to open a modal within 3 s.
      const start = () => work(false);
      const refuse = () => work(true);
      const turn = request.kind === 'command' ? () => deps.commandSlots.run(start, refuse) : start;
      await deps.tasks.run(`${request.kind} ${request.name}`, turn);
      if (failure !== undefined) throw failure;
    });
  };
}

/**
 * Every failure that reached Bolt ends here, once: logged with what was asked (a command's text is the user's own
 * words, written as one line by the logger) and its code; the user was already told.
 */
export function registerFailureLog(app: App, deps: SlackDeps): void {
  app.error(async ({ error, context, body }: { error: Error; context: Context; body: unknown }) => {
    const original = (error as { original?: unknown }).original ?? error;
    const request = context['napter'] as RequestContext | undefined;
    const what = request === undefined ? 'request' : `${request.request.kind} ${request.request.name}`;
    const text = (body as { text?: unknown } | undefined)?.text;
    // Bolt calls this after the request's own context ended: its fields come from the request context instead.
    const logger = request === undefined ? deps.logger : childLogger(deps.logger, request.logFields);
    logger.error(`A Slack ${what} failed`, ...(typeof text === 'string' ? [text] : []), errorCodeOf(original), original);
  });
}
