/**
 * An in-repo stand-in for Slack: the Web API, response_urls, trigger_ids and Socket Mode on one
 * loopback HTTP server, plus drivers that play the user. The real Bolt app talks to it through
 * `clientOptions.slackApiUrl = fake.apiUrl`. Used by the end-to-end tests, by `npm start` without Slack
 * credentials, and by the browser playground.
 */
export { startFakeSlack, DEFAULT_FAKE_BOT_TOKEN, type FakeSlack, type FakeSlackOptions } from './fake-slack';
export {
  defaultWorkspace,
  type WorkspaceSpec,
  type WorkspaceUserSpec,
  type WorkspaceChannelSpec,
  type WorkspaceUserGroupSpec,
} from './workspace';
export type {
  FakeMessage,
  FakeEphemeral,
  FakeView,
  FakeMessageMetadata,
  FakeMessageVersion,
  FakeMessageOrigin,
  RecordedCall,
  ResponseUrlPost,
} from './model';
export type { FakeSlackFaults, HeldCall } from './faults';
export type { FakeFile } from './files';
export type { FakeSocketMode, SocketEnvelopeAck, SentEnvelope, EnvelopeType } from './socket-mode';
export { RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL_MS, type ResponseUrlContext } from './response-urls';
export { MAX_MESSAGE_BLOCKS, MAX_VIEW_BLOCKS, checkMessageBlocks, checkView } from './block-kit-checks';
export {
  createSlackDriver,
  postSigned,
  signSlackRequest,
  type SlackDriver,
  type SlackDriverOptions,
  type DriverTransport,
  type DriverResult,
  type ClickButtonArgs,
  type SubmitViewArgs,
  type CloseViewArgs,
  type SignedPostOptions,
  type SignedPostResult,
} from './driver';
export { eventually } from './eventually';
