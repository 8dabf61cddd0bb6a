import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../common/clock';
import { blocksField, flag, metadataField } from './args';
import { checkMessageBlocks } from './block-kit-checks';
import type { FaultInjector } from './faults';
import type { FakeEphemeral, FakeHttpAnswer, FakeMessage, FakeMessageOrigin, ResponseUrlPost } from './model';
import type { FakeSlackStore } from './store';
import type { WorkspaceModel } from './workspace';

/**
 * response_urls as the fake models them. Slack documents "up to 5 times within 30 minutes"; what it
 * answers past that is not confirmed, so the fake answers HTTP 404 with:
 * - `{ok:false, error:'no_such_url'}` for an id it never issued,
 * - `{ok:false, error:'expired_url'}` after 30 minutes by the fake's clock,
 * - `{ok:false, error:'used_url'}` after 5 successful posts (refused posts do not count).
 * A bad body (no text/blocks, invalid blocks, unknown response_type) gets 400 and does not count either.
 * Other assumptions, each unconfirmed against Slack:
 * - `replace_original` on an interaction's URL rewrites the source message, ephemeral or not; on a
 *   command's URL (no source message) it rewrites the latest message that came through that URL,
 *   including the ack's reply; with nothing to rewrite it posts a new message.
 * - `delete_original` with nothing to delete succeeds and changes nothing.
 * - `thread_ts` is honoured (posted as a reply) when the thread exists, otherwise ignored.
 * - Posting works whether or not the bot is in the conversation (that is why bots fall back to it).
 */
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

export interface ResponseUrlContext {
  channelId: string;
  userId: string;
  /** The message that held the clicked element, for block_actions. */
  sourceMessage?: { channelId: string; ts: string; ephemeral?: boolean };
}

interface IssuedResponseUrl {
  url: string;
  context: ResponseUrlContext;
  issuedAtMs: number;
  uses: number;
  /** What came through this URL, oldest first: the target of replace/delete on a command's URL. */
  delivered: (FakeMessage | FakeEphemeral)[];
}

const responseBody = z.looseObject({
  text: z.string().optional(),
  blocks: blocksField.optional(),
  response_type: z.enum(['ephemeral', 'in_channel']).optional(),
  replace_original: flag,
  delete_original: flag,
  thread_ts: z.union([z.string(), z.number()]).transform(String).optional(),
  metadata: metadataField.optional(),
});
type ResponseBody = z.infer<typeof responseBody>;

const answer = (status: number, body: Record<string, unknown>): FakeHttpAnswer => ({ status, body });

export interface ResponseUrlDeps {
  clock: Clock;
  store: FakeSlackStore;
  workspace: () => WorkspaceModel;
  faults: FaultInjector;
  baseUrl: () => string;
}

export class ResponseUrls {
  private readonly issued = new Map<string, IssuedResponseUrl>();

  constructor(private readonly deps: ResponseUrlDeps) {}

  issue(context: ResponseUrlContext): string {
    const id = randomBytes(12).toString('hex');
    const url = `${this.deps.baseUrl()}/response/${id}`;
    this.issued.set(id, { url, context, issuedAtMs: this.deps.clock.nowMs(), uses: 0, delivered: [] });
    return url;
  }

  /** A POST to `/response/<id>`: checks the limits, then delivers; everything is recorded. */
  async post(id: string, body: Record<string, unknown>): Promise<FakeHttpAnswer> {
    const result = await this.answerPost(id, body);
    const entry = this.issued.get(id);
    const post: ResponseUrlPost = {
      url: entry?.url ?? `${this.deps.baseUrl()}/response/${id}`,
      body,
      atMs: this.deps.clock.nowMs(),
      httpStatus: result.status,
      response: result.body,
    };
    this.deps.store.responseUrlPosts.push(post);
    return result;
  }

  /**
   * Shows what an ack carried (a command's immediate reply) the way Slack does: as a message from the
   * command's response_url, without using up one of its 5 posts.
   */
  recordAckReply(url: string, ackBody: unknown): FakeMessage | FakeEphemeral | undefined {
    const entry = this.entryForUrl(url);
    if (entry === undefined) return undefined;
    const normalized = typeof ackBody === 'string' ? { text: ackBody } : ackBody;
    if (typeof normalized !== 'object' || normalized === null) return undefined;
    const parsed = responseBody.safeParse(normalized);
    if (!parsed.success) return undefined;
    if (parsed.data.text === undefined && parsed.data.blocks === undefined) return undefined;
    return this.deliver(entry, parsed.data, 'ack');
  }

  clear(): void {
    this.issued.clear();
  }

  private entryForUrl(url: string): IssuedResponseUrl | undefined {
    const id = url.slice(url.lastIndexOf('/') + 1);
    const entry = this.issued.get(id);
    return entry?.url === url ? entry : undefined;
  }

  private async answerPost(id: string, rawBody: Record<string, unknown>): Promise<FakeHttpAnswer> {
    const delayMs = this.deps.faults.delayFor('response_url');
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const entry = this.issued.get(id);
    if (entry === undefined) return answer(404, { ok: false, error: 'no_such_url' });
    if (this.deps.clock.nowMs() - entry.issuedAtMs > RESPONSE_URL_TTL_MS) return answer(404, { ok: false, error: 'expired_url' });
    if (entry.uses >= RESPONSE_URL_MAX_USES) return answer(404, { ok: false, error: 'used_url' });
    const fault = this.deps.faults.take('response_url');
    if (fault?.kind === 'error') return answer(404, { ok: false, error: fault.error });
    if (fault?.kind === 'ratelimited') {
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(fault.retryAfterSec) } };
    }
    if (fault?.kind === 'server-error') return { status: fault.status, body: { ok: false, error: 'fake_slack_server_error' } };
    if (fault?.kind === 'hang') return new Promise<FakeHttpAnswer>(() => undefined);
    const parsed = responseBody.safeParse(rawBody);
    if (!parsed.success) {
      return answer(400, { ok: false, error: 'invalid_payload', messages: parsed.error.issues.map((issue) => issue.message) });
    }
    const body = parsed.data;
    if (!body.delete_original && (body.text ?? '') === '' && (body.blocks ?? []).length === 0) {
      return answer(400, { ok: false, error: 'no_text' });
    }
    if (body.blocks !== undefined) {
      const problems = checkMessageBlocks(body.blocks);
      if (problems.length > 0) return answer(400, { ok: false, error: 'invalid_blocks', messages: problems });
    }
    entry.uses += 1;
    this.deliver(entry, body, 'response_url');
    return answer(200, { ok: true });
  }

  private deliver(entry: IssuedResponseUrl, body: ResponseBody, origin: FakeMessageOrigin): FakeMessage | FakeEphemeral | undefined {
    const target = this.originalOf(entry);
    if (body.delete_original) {
      if (target?.ephemeral === true) target.deleted = true;
      else if (target !== undefined) this.deps.store.deleteMessage(target);
      return undefined;
    }
    const text = body.text ?? '';
    const blocks = body.blocks ?? [];
    if (body.replace_original && target !== undefined) {
      if (target.ephemeral) this.deps.store.replaceEphemeral(target, { text, blocks });
      else {
        this.deps.store.editMessage(target, { text, blocks, ...(body.metadata === undefined ? {} : { metadata: body.metadata }) });
      }
      return target;
    }
    const { channelId, userId } = entry.context;
    const threadTs = body.thread_ts !== undefined && this.deps.store.findMessage(channelId, body.thread_ts) !== undefined ? body.thread_ts : undefined;
    let delivered: FakeMessage | FakeEphemeral | undefined;
    if (body.response_type === 'in_channel') {
      const spec = this.deps.workspace().spec;
      delivered = this.deps.store.addMessage({
        channelId,
        ...(threadTs === undefined ? {} : { threadTs }),
        text,
        blocks,
        ...(body.metadata === undefined ? {} : { metadata: body.metadata }),
        user: spec.botUserId,
        botId: spec.botId,
        origin,
        replyBroadcast: false,
      });
    } else {
      delivered = this.deps.store.addEphemeral({
        channelId,
        userId,
        ...(threadTs === undefined ? {} : { threadTs }),
        text,
        blocks,
        origin,
        responseUrl: entry.url,
      });
    }
    if (delivered !== undefined) entry.delivered.push(delivered);
    return delivered;
  }

  /** What replace_original/delete_original act on: the interaction's source message, or the URL's latest post. */
  private originalOf(entry: IssuedResponseUrl): FakeMessage | FakeEphemeral | undefined {
    const source = entry.context.sourceMessage;
    if (source !== undefined) {
      const found =
        source.ephemeral === true
          ? this.deps.store.findEphemeral(source.channelId, source.ts)
          : this.deps.store.findMessage(source.channelId, source.ts);
      if (found === undefined || (found.ephemeral && found.deleted)) return undefined;
      return found;
    }
    for (let index = entry.delivered.length - 1; index >= 0; index -= 1) {
      const candidate = entry.delivered[index];
      if (candidate === undefined) continue;
      const stillThere = candidate.ephemeral ? !candidate.deleted : this.deps.store.findMessage(candidate.channelId, candidate.ts) !== undefined;
      if (stillThere) return candidate;
    }
    return undefined;
  }
}
