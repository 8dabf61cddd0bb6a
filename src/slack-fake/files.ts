import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../common/clock';
import { flag, jsonField, parseArgs, slackError, slackOk } from './args';
import type { FakeHttpAnswer } from './model';
import type { FakeSlackStore } from './store';
import type { WorkspaceChannelSpec, WorkspaceModel } from './workspace';

/**
 * Slack's external file upload, the three steps `filesUploadV2` takes: `files.getUploadURLExternal` (a file id
 * and a one-time URL), a POST of the bytes to that URL (multipart, as WebClient sends it, or raw), then
 * `files.completeUploadExternal`, which finishes the file and shares it where `channel_id` says (or keeps it
 * private to the uploader when it names none). Errors as Slack documents them.
 */
export interface FakeFile {
  id: string;
  filename: string;
  title: string;
  /** What getUploadURLExternal was told. */
  declaredLength: number;
  /** The bytes uploaded (as UTF-8 text), once uploaded. */
  content?: string;
  uploadedLength?: number;
  /** The conversations it was shared to, once completed. */
  sharedTo: string[];
  completed: boolean;
  initialComment?: string;
  createdAtMs: number;
}

const MAX_FILE_BYTES = 1024 * 1024 * 1024;

const getUploadArgs = z.looseObject({
  filename: z.string().min(1).optional(),
  length: z.coerce.number().int().optional(),
  alt_txt: z.string().optional(),
  snippet_type: z.string().optional(),
});

const completeArgs = z.looseObject({
  files: jsonField(z.array(z.looseObject({ id: z.string().min(1), title: z.string().optional() })).min(1)).optional(),
  channel_id: z.string().optional(),
  channels: z.string().optional(),
  initial_comment: z.string().optional(),
  thread_ts: z.string().optional(),
  blocks: z.unknown().optional(),
  unfurl: flag,
});

export class FakeFiles {
  readonly files: FakeFile[] = [];
  private readonly uploadTokens = new Map<string, string>();

  constructor(
    private readonly deps: {
      readonly clock: Clock;
      readonly store: FakeSlackStore;
      readonly workspace: () => WorkspaceModel;
      readonly baseUrl: () => string;
    },
  ) {}

  getUploadUrl(rawArgs: Record<string, unknown>): FakeHttpAnswer {
    const parsed = parseArgs(getUploadArgs, rawArgs);
    if (!parsed.ok) return parsed.error;
    const { filename, length } = parsed.value;
    if (filename === undefined || length === undefined) return slackError('invalid_arguments', ['[ERROR] missing required field: filename or length']);
    if (length < 1 || length > MAX_FILE_BYTES) return slackError('invalid_arguments', ['[ERROR] length must be between 1 and 1 GB [json-pointer:/length]']);
    const id = `F${randomBytes(5).toString('hex').toUpperCase()}`;
    const token = randomBytes(12).toString('hex');
    this.uploadTokens.set(token, id);
    this.files.push({ id, filename, title: filename, declaredLength: length, sharedTo: [], completed: false, createdAtMs: this.deps.clock.nowMs() });
    return slackOk({ upload_url: `${this.deps.baseUrl()}/upload/v1/${token}`, file_id: id });
  }

  /** The POST to an upload URL: 200 `OK - <bytes>` as files.slack.com answers, 404 for a URL it never gave. */
  upload(token: string, rawBody: string, contentType: string | undefined): FakeHttpAnswer {
    const file = this.fileByToken(token);
    if (file === undefined || file.completed) return { status: 404, body: { ok: false, error: 'not_found' } };
    const content = multipartFile(rawBody, contentType) ?? rawBody;
    file.content = content;
    file.uploadedLength = Buffer.byteLength(content, 'utf8');
    return { status: 200, body: { ok: true, text: `OK - ${file.uploadedLength}` } };
  }

  complete(rawArgs: Record<string, unknown>): FakeHttpAnswer {
    const parsed = parseArgs(completeArgs, rawArgs);
    if (!parsed.ok) return parsed.error;
    const args = parsed.value;
    if (args.files === undefined) return slackError('invalid_arguments', ['[ERROR] missing required field: files']);
    const files = args.files.map((entry) => ({ entry, file: this.files.find((candidate) => candidate.id === entry.id) }));
    // Slack finishes only files whose bytes arrived and that were not finished before.
    if (files.some(({ file }) => file === undefined || file.content === undefined || file.completed)) return slackError('file_not_found');
    const channelArg = args.channel_id ?? args.channels?.split(',')[0];
    let channel: WorkspaceChannelSpec | undefined;
    if (channelArg !== undefined && channelArg !== '') {
      const workspace = this.deps.workspace();
      channel = workspace.resolveConversation(channelArg);
      const visibility = workspace.visibility(channel);
      if (channel === undefined || visibility === 'invisible') return slackError('channel_not_found');
      if (visibility === 'public-non-member') return slackError('not_in_channel');
    }
    const spec = this.deps.workspace().spec;
    const shown = [];
    for (const { entry, file } of files) {
      if (file === undefined) continue;
      file.completed = true;
      if (entry.title !== undefined) file.title = entry.title;
      if (args.initial_comment !== undefined) file.initialComment = args.initial_comment;
      if (channel !== undefined) file.sharedTo.push(channel.id);
      shown.push(file);
    }
    if (channel !== undefined) {
      this.deps.store.addMessage({
        channelId: channel.id,
        text: args.initial_comment ?? '',
        blocks: [],
        user: spec.botUserId,
        botId: spec.botId,
        origin: 'chat.postMessage',
        replyBroadcast: false,
        fileIds: shown.map((file) => file.id),
      });
    }
    return slackOk({ files: shown.map((file) => this.fileObject(file)) });
  }

  find(fileId: string): FakeFile | undefined {
    return this.files.find((file) => file.id === fileId);
  }

  clear(): void {
    this.files.length = 0;
    this.uploadTokens.clear();
  }

  private fileByToken(token: string): FakeFile | undefined {
    const id = this.uploadTokens.get(token);
    return id === undefined ? undefined : this.find(id);
  }

  private fileObject(file: FakeFile): Record<string, unknown> {
    const spec = this.deps.workspace().spec;
    const ims = file.sharedTo.filter((id) => id.startsWith('D'));
    return {
      id: file.id,
      created: Math.floor(file.createdAtMs / 1000),
      name: file.filename,
      title: file.title,
      mimetype: file.filename.endsWith('.csv') ? 'text/csv' : 'text/plain',
      filetype: file.filename.endsWith('.csv') ? 'csv' : 'text',
      user: spec.botUserId,
      user_team: spec.teamId,
      size: file.uploadedLength ?? 0,
      is_public: file.sharedTo.some((id) => !id.startsWith('D') && !id.startsWith('G')),
      channels: file.sharedTo.filter((id) => id.startsWith('C')),
      groups: file.sharedTo.filter((id) => id.startsWith('G')),
      ims,
      url_private: `${this.deps.baseUrl()}/files-pri/${spec.teamId}-${file.id}/${encodeURIComponent(file.filename)}`,
    };
  }
}

/** The first file part of a multipart/form-data body (WebClient posts the bytes as the part `body`). */
function multipartFile(rawBody: string, contentType: string | undefined): string | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  const marker = boundary?.[1] ?? boundary?.[2];
  if (marker === undefined || !(contentType ?? '').startsWith('multipart/form-data')) return undefined;
  for (const part of rawBody.split(`--${marker}`)) {
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0 || !/filename=/i.test(part.slice(0, headerEnd))) continue;
    const content = part.slice(headerEnd + 4);
    return content.endsWith('\r\n') ? content.slice(0, -2) : content;
  }
  return undefined;
}
