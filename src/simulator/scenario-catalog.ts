import type { Scenario } from './scenario-types';
import type { ClientSpec, DeviceSpec, SimSpec } from './world-spec';

/**
 * One scenario per verdict (`VERDICT_IDS`, the README's evidence table) (several for `device-side-problem`, one per cause the guide
 * lists; several `healthy` ones, one per protocol the probe speaks), each with the verdict the guide implies. Identities are distinct across the catalog so the demo world can hold
 * them all: SIM IDs 19 digits, IMSIs 15 digits, device addresses private 10.x, every global address from
 * the documentation ranges.
 */

const SIM_ID_PREFIX = '8942310022000000';
const IMSI_PREFIX = '2950509100';

function simFor(index: number, name: string, extra: Omit<Partial<SimSpec>, 'simId' | 'imsi' | 'name'> = {}): SimSpec {
  const suffix = String(index).padStart(3, '0');
  return {
    simId: `${SIM_ID_PREFIX}${suffix}`,
    imsi: `${IMSI_PREFIX}${String(index).padStart(5, '0')}`,
    name,
    ueIpAddress: `10.${200 + (index % 50)}.${index}.${10 + (index % 200)}`,
    ...extra,
  };
}

/** The people. Alice's address is the one she confirmed through the bot. */
export const CLIENTS = {
  alice: { id: 'alice-laptop', label: 'Alice (field engineer, home fibre)', globalIp: '203.0.113.10' },
  bob: {
    id: 'bob-office-pc',
    label: 'Bob (head-office PC behind the corporate firewall)',
    globalIp: '198.51.100.23',
    network: { description: 'Corporate firewall: only ports 80 and 443 may leave', allowedOutboundPorts: [80, 443] },
  },
  carol: { id: 'carol-tethering', label: 'Carol (laptop tethered to her phone)', globalIp: '198.51.100.140' },
  dave: { id: 'dave-hotel-wifi', label: 'Dave (hotel Wi-Fi, retrying in a loop)', globalIp: '198.51.100.60' },
  frankHome: { id: 'frank-home', label: 'Frank (home fibre)', globalIp: '192.0.2.50' },
  frankPhone: { id: 'frank-phone', label: 'Frank (phone hotspot)', globalIp: '198.51.100.77' },
} as const satisfies Record<string, ClientSpec>;

/** The address Alice and Carol gave when opening: the office's. */
const ALICE_RANGE = ['203.0.113.10/32'];
const OFFICE_RANGE = ['203.0.113.10/32'];

const SSH_DEVICE: DeviceSpec = {
  description: 'Raspberry Pi 4 Model B, Raspberry Pi OS 12, SORACOM Onyx LTE USB dongle',
  services: [{ port: 22, protocol: 'ssh', description: 'OpenSSH' }],
};

const PREVIOUS_SESSION_LONG_AGO = { createdTime: 1_767_000_000_000, deletedTime: 1_767_100_000_000 };

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'healthy',
    title: { en: 'Everything works', ja: '正常に接続できている' },
    description: {
      en: 'Alice opens SSH from her confirmed address and works on the gateway for twelve minutes. Nothing blocks Napter.',
      ja: 'Alice が確認済みの IP アドレスから SSH を開き、12 分間ゲートウェイで作業する。Napter を妨げるものはない。',
    },
    expectedVerdict: 'healthy',
    expectedProbe: 'answered',
    world: { sims: [simFor(1, 'gw-tokyo-01', { device: SSH_DEVICE })], clients: [CLIENTS.alice] },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-tokyo-01', devicePort: 22, durationSec: 3600, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', sessionSec: 720 },
      { at: '+14m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-tokyo-01',
    devicePort: 22,
    demoSimName: 'demo-healthy',
  },
  {
    id: 'sim-not-found',
    title: { en: 'No SIM has that IMSI', ja: 'その IMSI の SIM がない' },
    description: {
      en: 'The user copies the IMSI of gw-nagoya-01 from a spreadsheet with a digit out of place (…0200 instead of …0002): no SIM has it.',
      ja: 'gw-nagoya-01 の IMSI を表計算シートから写したが、数字が 1 桁ずれていた (…0002 ではなく …0200)。その IMSI の SIM はない。',
    },
    expectedVerdict: 'sim-not-found',
    expectedProbe: 'not-run',
    world: { sims: [simFor(2, 'gw-nagoya-01', { device: SSH_DEVICE })], clients: [CLIENTS.alice] },
    steps: [],
    diagnoseSimRef: '295050910000200',
    demoSimName: 'demo-missing',
  },
  {
    id: 'sim-inactive',
    title: { en: 'The SIM is inactive', ja: 'SIM が休止中 (inactive)' },
    description: {
      en: 'The SIM was set to inactive after a billing review; it cannot create a session, so Napter has nothing to forward to.',
      ja: '請求の見直しで SIM が inactive にされたため、セッションを作れず、Napter の転送先がない。',
    },
    expectedVerdict: 'sim-inactive',
    expectedProbe: 'not-run',
    world: {
      sims: [simFor(3, 'gw-sendai-01', { status: 'inactive', online: false, previousSession: PREVIOUS_SESSION_LONG_AGO, device: SSH_DEVICE })],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-sendai-01', devicePort: 22, durationSec: 1800, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop' },
      { at: '+2m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-sendai-01',
    devicePort: 22,
    demoSimName: 'demo-inactive',
  },
  {
    id: 'sim-offline',
    title: { en: 'The device is not attached', ja: 'デバイスがオフライン' },
    description: {
      en: 'The SIM is active but its session ended two hours ago (the gateway lost power). Napter needs an online session.',
      ja: 'SIM は active だが、2 時間前にセッションが切れた (ゲートウェイの電源断)。Napter にはオンラインのセッションが必要。',
    },
    expectedVerdict: 'sim-offline',
    expectedProbe: 'not-run',
    world: { sims: [simFor(4, 'gw-kobe-01', { device: SSH_DEVICE })], clients: [CLIENTS.alice] },
    steps: [
      { at: '+0s', do: 'set-sim', sim: 'gw-kobe-01', patch: { online: false } },
      { at: '+2h', do: 'open-mapping', sim: 'gw-kobe-01', devicePort: 22, durationSec: 1800, sourceIpRanges: ALICE_RANGE },
      { at: '+2h1m', do: 'attempt', client: 'alice-laptop', repeat: 2, everySec: 30 },
      { at: '+2h3m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-kobe-01',
    devicePort: 22,
    demoSimName: 'demo-offline',
  },
  {
    id: 'no-mapping',
    title: { en: 'No mapping in the window', ja: '期間内にリモートアクセスがない' },
    description: {
      en: 'The last mapping was used yesterday morning; it expired long ago and its events have left the 24-hour log.',
      ja: '最後のリモートアクセスは昨日の朝。とうに期限切れで、イベントも 24 時間の監査ログから消えている。',
    },
    expectedVerdict: 'no-mapping',
    expectedProbe: 'answered',
    world: { sims: [simFor(5, 'gw-kyoto-01', { device: SSH_DEVICE })], clients: [CLIENTS.alice] },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-kyoto-01', devicePort: 22, durationSec: 1800, sourceIpRanges: ALICE_RANGE },
      { at: '+2m', do: 'attempt', client: 'alice-laptop', sessionSec: 600 },
      { at: '+30h', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-kyoto-01',
    devicePort: 22,
    demoSimName: 'demo-no-mapping',
  },
  {
    id: 'mapping-expired',
    title: { en: 'The mapping expired', ja: 'リモートアクセスの有効期限切れ' },
    description: {
      en: 'Alice opened SSH for the default 30 minutes, worked for ten, came back after lunch: her attempts are DENIED.',
      ja: 'Alice はデフォルトの 30 分で SSH を開き 10 分作業し、昼食後に戻ったところ接続が DENIED になる。',
    },
    expectedVerdict: 'mapping-expired',
    expectedProbe: 'answered',
    world: { sims: [simFor(6, 'gw-osaka-02', { device: SSH_DEVICE })], clients: [CLIENTS.alice] },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-osaka-02', devicePort: 22, durationSec: 1800, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', sessionSec: 600 },
      { at: '+40m', do: 'attempt', client: 'alice-laptop', repeat: 2, everySec: 20 },
      { at: '+42m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-osaka-02',
    devicePort: 22,
    demoSimName: 'demo-expired',
  },
  {
    id: 'mapping-expired-seconds-mistake',
    title: { en: 'Expired at once: minutes sent as seconds', ja: '分を秒として指定し、すぐに期限切れ' },
    description: {
      en: 'A script asked for duration 60 meaning an hour; the API unit is seconds, so the mapping lived one minute.',
      ja: 'スクリプトが 1 時間のつもりで duration 60 を指定。API の単位は秒なので 1 分で期限切れになった。',
    },
    expectedVerdict: 'mapping-expired',
    expectedProbe: 'answered',
    world: { sims: [simFor(7, 'gw-osaka-03', { device: SSH_DEVICE })], clients: [CLIENTS.alice] },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-osaka-03', devicePort: 22, durationSec: 60, sourceIpRanges: ALICE_RANGE },
      { at: '+3m', do: 'attempt', client: 'alice-laptop', repeat: 2, everySec: 15 },
      { at: '+4m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-osaka-03',
    devicePort: 22,
    demoSimName: 'demo-seconds-mistake',
  },
  {
    id: 'tls-on-ssh',
    title: { en: 'TLS turned on for SSH', ja: 'SSH なのに TLS オプションが有効' },
    description: {
      en: 'The mapping to port 22 requires TLS; Napter terminates TLS in front of SSH, so every connection closes at once.',
      ja: 'ポート 22 へのリモートアクセスで TLS が有効。Napter が SSH の前で TLS を終端するため、接続はすぐに切れる。',
    },
    expectedVerdict: 'tls-on-non-tls-protocol',
    expectedProbe: 'answered',
    world: { sims: [simFor(8, 'gw-yokohama-01', { device: SSH_DEVICE })], clients: [CLIENTS.alice] },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-yokohama-01', devicePort: 22, durationSec: 1800, tlsRequired: true, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', repeat: 3, everySec: 30 },
      { at: '+3m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-yokohama-01',
    devicePort: 22,
    demoSimName: 'demo-tls-ssh',
  },
  {
    id: 'tls-on-rdp',
    title: { en: 'TLS turned on for Remote Desktop', ja: 'RDP なのに TLS オプションが有効' },
    description: {
      en: 'A Windows panel PC opened on 3389 with TLS on: RDP cannot run behind Napter TLS termination.',
      ja: 'Windows のパネル PC を 3389 で TLS 有効のまま開いた。RDP は Napter の TLS 終端の後ろでは動かない。',
    },
    expectedVerdict: 'tls-on-non-tls-protocol',
    expectedProbe: 'answered',
    world: {
      sims: [
        simFor(9, 'panel-pc-fukuoka-01', {
          device: { description: 'Windows 11 IoT panel PC', services: [{ port: 3389, protocol: 'rdp', description: 'Remote Desktop' }] },
        }),
      ],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'panel-pc-fukuoka-01', devicePort: 3389, durationSec: 3600, tlsRequired: true, sourceIpRanges: ALICE_RANGE },
      { at: '+2m', do: 'attempt', client: 'alice-laptop', repeat: 2, everySec: 40 },
      { at: '+4m', do: 'wait' },
    ],
    diagnoseSimRef: 'panel-pc-fukuoka-01',
    devicePort: 3389,
    demoSimName: 'demo-tls-rdp',
  },
  {
    id: 'client-network-blocked',
    title: { en: "The caller's network blocks Napter", ja: '利用者のネットワークが Napter をブロック' },
    description: {
      en: 'Bob tries from the head office, whose firewall lets only 80 and 443 out: the mapping is CREATED but no ACCESS ever arrives.',
      ja: 'Bob は本社から接続するが、ファイアウォールが 80 と 443 以外の送信を止める。CREATED はあるが ACCESS が一度もない。',
    },
    expectedVerdict: 'client-network-blocked',
    expectedProbe: 'answered',
    world: { sims: [simFor(10, 'gw-chiba-01', { device: SSH_DEVICE })], clients: [CLIENTS.bob] },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-chiba-01', devicePort: 22, durationSec: 1800, sourceIpRanges: ['198.51.100.23/32'] },
      { at: '+1m', do: 'attempt', client: 'bob-office-pc', repeat: 3, everySec: 60 },
      { at: '+10m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-chiba-01',
    devicePort: 22,
    demoSimName: 'demo-blocked-net',
  },
  {
    id: 'source-ip-mismatch',
    title: { en: 'Connecting from another address than the one allowed', ja: '許可したものと違う IP アドレスから接続' },
    description: {
      en: "Carol allowed the office's address but connects tethered to her phone: Napter sees 198.51.100.140 and DENIES it.",
      ja: 'Carol はオフィスの IP アドレスを許可したが、スマートフォンのテザリングから接続したため 198.51.100.140 が DENIED になる。',
    },
    expectedVerdict: 'source-ip-mismatch',
    expectedProbe: 'answered',
    world: { sims: [simFor(11, 'gw-saitama-01', { device: SSH_DEVICE })], clients: [CLIENTS.carol] },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-saitama-01', devicePort: 22, durationSec: 1800, sourceIpRanges: OFFICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'carol-tethering', repeat: 2, everySec: 45 },
      { at: '+3m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-saitama-01',
    devicePort: 22,
    demoSimName: 'demo-wrong-ip',
  },
  {
    id: 'source-ip-refused',
    title: { en: 'Blocked after repeated DENIED', ja: 'DENIED の繰り返しでブロック (REFUSED)' },
    description: {
      en: 'Dave retries every five seconds from the hotel Wi-Fi, outside the allowed range: after five DENIED Napter REFUSES his address.',
      ja: 'Dave は許可範囲外のホテル Wi-Fi から 5 秒ごとに再試行。DENIED が 5 回続くと Napter はそのアドレスを REFUSED にする。',
    },
    expectedVerdict: 'source-ip-refused',
    expectedProbe: 'answered',
    world: { sims: [simFor(12, 'gw-hiroshima-01', { device: SSH_DEVICE })], clients: [CLIENTS.dave] },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-hiroshima-01', devicePort: 22, durationSec: 1800, sourceIpRanges: OFFICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'dave-hotel-wifi', repeat: 8, everySec: 5 },
      { at: '+3m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-hiroshima-01',
    devicePort: 22,
    demoSimName: 'demo-refused',
  },
  {
    id: 'device-firewall',
    title: { en: 'Device firewall admits only the LAN and SORACOM', ja: 'デバイスのファイアウォールが LAN と SORACOM だけを許可' },
    description: {
      en: 'iptables on the gateway accepts SSH from 192.168.1.0/24 and 100.127.0.0/16 only. It worked over Wi-Fi; through Napter the client address is dropped, so each connection hangs until Napter gives up, while SORACOM\'s own probe gets in.',
      ja: 'ゲートウェイの iptables は 192.168.1.0/24 と 100.127.0.0/16 からの SSH だけを許可。Wi-Fi では使えたが、Napter 経由では利用者のアドレスが破棄され、接続は Napter があきらめるまで待たされる (SORACOM からの疎通確認は通る)。',
    },
    expectedVerdict: 'device-side-problem',
    expectedDeviceCause: 'no-answer',
    expectedProbe: 'answered',
    world: {
      sims: [
        simFor(13, 'gw-kawasaki-01', {
          device: {
            ...SSH_DEVICE,
            firewall: { policy: 'drop', allow: [{ ports: [22], sources: ['192.168.1.0/24', '100.127.0.0/16'] }] },
          },
        }),
      ],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-kawasaki-01', devicePort: 22, durationSec: 1800, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', repeat: 3, everySec: 30 },
      { at: '+3m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-kawasaki-01',
    devicePort: 22,
    demoSimName: 'demo-firewall',
  },
  {
    id: 'device-app-down',
    title: { en: 'The application is not running', ja: 'デバイスのアプリケーションが停止している' },
    description: {
      en: "The dashboard container crashed; docker-proxy still publishes port 8080, accepts each connection and closes it at once.",
      ja: 'ダッシュボードのコンテナが停止。docker-proxy がポート 8080 を公開したまま接続を受け付け、すぐに切断する。',
    },
    expectedVerdict: 'device-side-problem',
    expectedDeviceCause: 'refused',
    expectedProbe: 'refused',
    world: {
      sims: [
        simFor(14, 'edge-box-sapporo-01', {
          device: {
            description: 'Industrial edge PC, Ubuntu 22.04, Docker',
            services: [
              { port: 22, protocol: 'ssh', description: 'OpenSSH' },
              { port: 8080, protocol: 'http', state: 'accepts-then-closes', description: 'docker-proxy for the stopped dashboard container' },
            ],
          },
        }),
      ],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'edge-box-sapporo-01', devicePort: 8080, durationSec: 1800, tlsRequired: true, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', repeat: 3, everySec: 20 },
      { at: '+3m', do: 'wait' },
    ],
    diagnoseSimRef: 'edge-box-sapporo-01',
    devicePort: 8080,
    demoSimName: 'demo-app-down',
  },
  {
    id: 'device-wrong-port',
    title: { en: 'Another service answers on the device port', ja: 'デバイスポートで別のサービスが応答している' },
    description: {
      en: 'sshd was moved to 2222; port 22 now belongs to the PLC gateway maintenance console, which waits for its own protocol and hangs up on SSH clients.',
      ja: 'sshd は 2222 番に移された。22 番は PLC ゲートウェイの保守コンソールが使っており、独自のプロトコルを待ち、SSH クライアントを切断する。',
    },
    expectedVerdict: 'device-side-problem',
    expectedDeviceCause: 'closed-at-once',
    expectedProbe: 'no-answer',
    world: {
      sims: [
        simFor(15, 'plc-gw-nagano-01', {
          device: {
            description: 'PLC protocol gateway, embedded Linux',
            services: [
              { port: 22, protocol: 'tcp', description: 'vendor maintenance console' },
              { port: 2222, protocol: 'ssh', description: 'OpenSSH (moved)' },
            ],
          },
        }),
      ],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'plc-gw-nagano-01', devicePort: 22, durationSec: 1800, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', protocol: 'ssh', repeat: 3, everySec: 20 },
      { at: '+3m', do: 'wait' },
    ],
    diagnoseSimRef: 'plc-gw-nagano-01',
    devicePort: 22,
    demoSimName: 'demo-wrong-port',
  },
  {
    id: 'device-route-wifi',
    title: { en: 'The device answers by Wi-Fi, not cellular', ja: 'デバイスが LTE ではなく Wi-Fi 経由で応答している' },
    description: {
      en: "The gateway's default route is its Wi-Fi; only SORACOM's 100.127.0.0/16 goes by LTE. Replies to the user leave by Wi-Fi and never reach Napter.",
      ja: 'ゲートウェイのデフォルトルートは Wi-Fi で、LTE 経由は SORACOM の 100.127.0.0/16 だけ。利用者への応答が Wi-Fi から出ていき Napter に戻らない。',
    },
    expectedVerdict: 'device-side-problem',
    expectedDeviceCause: 'no-answer',
    expectedProbe: 'answered',
    world: {
      sims: [
        simFor(16, 'gw-niigata-01', {
          device: { ...SSH_DEVICE, defaultRoute: 'wifi', routes: [{ cidr: '100.127.0.0/16', via: 'cellular' }] },
        }),
      ],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-niigata-01', devicePort: 22, durationSec: 1800, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', repeat: 3, everySec: 30 },
      { at: '+3m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-niigata-01',
    devicePort: 22,
    demoSimName: 'demo-route-wifi',
  },
  {
    id: 'device-app-rejects-client',
    title: { en: 'The application rejects the client', ja: 'アプリケーションが接続元を拒否している' },
    description: {
      en: 'sshd on the gateway allows logins only from the LAN (AllowUsers pi@192.168.1.*, hosts.deny ALL): it accepts, then drops every client from elsewhere (Napter users and SORACOM\'s probe alike) before its greeting.',
      ja: 'ゲートウェイの sshd は LAN からのログインだけを許可 (AllowUsers / hosts.deny)。それ以外 (Napter 経由の接続も SORACOM からの疎通確認も) は受け付けた直後、挨拶の前に切断される。',
    },
    expectedVerdict: 'device-side-problem',
    expectedDeviceCause: 'refused',
    expectedProbe: 'refused',
    world: {
      sims: [
        simFor(17, 'gw-okayama-01', {
          device: { ...SSH_DEVICE, services: [{ port: 22, protocol: 'ssh', state: 'rejects-clients', description: 'OpenSSH, hosts.deny ALL except LAN' }] },
        }),
      ],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-okayama-01', devicePort: 22, durationSec: 1800, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', repeat: 2, everySec: 30 },
      { at: '+2m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-okayama-01',
    devicePort: 22,
    demoSimName: 'demo-app-rejects',
  },
  {
    id: 'device-app-not-listening',
    title: { en: 'Nothing listens on the device port', ja: 'デバイスポートで何も待ち受けていない' },
    description: {
      en: 'sshd is stopped after an update; the device answers RST, so Alice\'s connections end at once, and SORACOM\'s own probe of port 22 is refused too.',
      ja: 'アップデート後に sshd が停止。デバイスは RST を返すため Alice の接続はすぐに切れ、SORACOM からのポート 22 の疎通確認も拒否される。',
    },
    expectedVerdict: 'device-side-problem',
    expectedDeviceCause: 'refused',
    expectedProbe: 'refused',
    world: {
      sims: [simFor(18, 'gw-kumamoto-01', { device: { ...SSH_DEVICE, services: [{ port: 22, protocol: 'ssh', state: 'stopped', description: 'OpenSSH (stopped)' }] } })],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-kumamoto-01', devicePort: 22, durationSec: 1800, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', repeat: 3, everySec: 20 },
      { at: '+2m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-kumamoto-01',
    devicePort: 22,
    demoSimName: 'demo-not-listening',
  },
  {
    id: 'device-firewall-drops-all',
    title: { en: 'Device firewall admits only the LAN', ja: 'デバイスのファイアウォールが LAN だけを許可' },
    description: {
      en: 'Windows Firewall allows RDP from the local subnet only: Napter clients and SORACOM\'s probe are both dropped, so every connection hangs until it times out.',
      ja: 'Windows ファイアウォールがローカルサブネットからの RDP だけを許可。Napter 経由の接続も SORACOM からの疎通確認も破棄され、どの接続もタイムアウトまで待たされる。',
    },
    expectedVerdict: 'device-side-problem',
    expectedDeviceCause: 'no-answer',
    expectedProbe: 'no-answer',
    world: {
      sims: [
        simFor(19, 'panel-pc-kagoshima-01', {
          device: {
            description: 'Windows 11 IoT panel PC',
            services: [{ port: 3389, protocol: 'rdp', description: 'Remote Desktop' }],
            firewall: { policy: 'drop', allow: [{ ports: [3389], sources: ['192.168.10.0/24'] }] },
          },
        }),
      ],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'panel-pc-kagoshima-01', devicePort: 3389, durationSec: 3600, sourceIpRanges: ALICE_RANGE },
      { at: '+2m', do: 'attempt', client: 'alice-laptop', repeat: 2, everySec: 30 },
      { at: '+4m', do: 'wait' },
    ],
    diagnoseSimRef: 'panel-pc-kagoshima-01',
    devicePort: 3389,
    demoSimName: 'demo-lan-only-firewall',
  },
  {
    id: 'insufficient-evidence',
    title: { en: 'Nothing in the audit log yet', ja: '監査ログにまだ何もない' },
    description: {
      en: 'The mapping was opened a minute ago and the audit log has not caught up (events show about two minutes late here): there is no evidence yet.',
      ja: '1 分前にリモートアクセスを開いたばかりで、監査ログへの反映が追いついていない (ここではイベントが約 2 分遅れて現れる)。まだ証拠がない。',
    },
    expectedVerdict: 'insufficient-evidence',
    expectedProbe: 'answered',
    world: {
      sims: [simFor(20, 'gw-matsuyama-01', { device: SSH_DEVICE, auditLogIngestDelayMs: 120_000 })],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-matsuyama-01', devicePort: 22, durationSec: 1800, sourceIpRanges: ALICE_RANGE },
      { at: '+30s', do: 'attempt', client: 'alice-laptop', sessionSec: 20 },
      { at: '+60s', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-matsuyama-01',
    devicePort: 22,
    demoSimName: 'demo-no-evidence',
  },
  {
    id: 'healthy-http-tls',
    title: { en: 'A web UI over HTTP, TLS on at Napter', ja: 'HTTP の Web UI を TLS オプション有効で利用' },
    description: {
      en: 'The HMI serves its web UI on plain HTTP port 80; Alice opens it with TLS on (Napter terminates TLS, as the spec says to for an HTTP device) and browses it for five minutes.',
      ja: 'HMI は Web UI を HTTP (ポート 80) で提供している。Alice は TLS オプションを有効にして開き (HTTP のデバイスには TLS を有効にする、と API リファレンスにある)、5 分間閲覧する。',
    },
    expectedVerdict: 'healthy',
    expectedProbe: 'answered',
    world: {
      sims: [
        simFor(21, 'hmi-web-sendai-01', {
          device: { description: 'Touch-panel HMI, embedded Linux, lighttpd', services: [{ port: 80, protocol: 'http', description: 'lighttpd web UI' }] },
        }),
      ],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'hmi-web-sendai-01', devicePort: 80, durationSec: 1800, tlsRequired: true, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', sessionSec: 300, repeat: 2, everySec: 1 },
      { at: '+8m', do: 'wait' },
    ],
    diagnoseSimRef: 'hmi-web-sendai-01',
    devicePort: 80,
    demoSimName: 'demo-http-tls',
  },
  {
    id: 'healthy-https',
    title: { en: 'A web UI over HTTPS, TLS off at Napter', ja: 'HTTPS の Web UI を TLS オプション無効で利用' },
    description: {
      en: 'The LTE router serves its admin page on HTTPS port 443 with a self-signed certificate; Alice opens it with TLS off and works in it for four minutes.',
      ja: 'LTE ルーターは管理画面を HTTPS (ポート 443、自己署名証明書) で提供している。Alice は TLS オプションを無効にして開き、4 分間作業する。',
    },
    expectedVerdict: 'healthy',
    expectedProbe: 'answered',
    world: {
      sims: [
        simFor(22, 'router-osaka-01', {
          device: { description: 'Industrial LTE router', services: [{ port: 443, protocol: 'https', description: 'admin page, self-signed certificate' }] },
        }),
      ],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'router-osaka-01', devicePort: 443, durationSec: 1800, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', sessionSec: 240 },
      { at: '+6m', do: 'wait' },
    ],
    diagnoseSimRef: 'router-osaka-01',
    devicePort: 443,
    demoSimName: 'demo-https',
  },
  {
    id: 'healthy-rdp',
    title: { en: 'Remote Desktop to a Windows panel PC', ja: 'Windows パネル PC へのリモートデスクトップ' },
    description: {
      en: 'Alice opens RDP (3389, TLS off) to the line’s Windows panel PC and works on it for twenty minutes.',
      ja: 'Alice はラインの Windows パネル PC に RDP (3389、TLS 無効) を開き、20 分間作業する。',
    },
    expectedVerdict: 'healthy',
    expectedProbe: 'answered',
    world: {
      sims: [
        simFor(23, 'panel-pc-nagoya-01', {
          device: { description: 'Windows 11 IoT panel PC', services: [{ port: 3389, protocol: 'rdp', description: 'Remote Desktop' }] },
        }),
      ],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'panel-pc-nagoya-01', devicePort: 3389, durationSec: 3600, sourceIpRanges: ALICE_RANGE },
      { at: '+2m', do: 'attempt', client: 'alice-laptop', sessionSec: 1200 },
      { at: '+25m', do: 'wait' },
    ],
    diagnoseSimRef: 'panel-pc-nagoya-01',
    devicePort: 3389,
    demoSimName: 'demo-rdp',
  },
  {
    id: 'healthy-vnc',
    title: { en: 'VNC to a touch panel', ja: 'タッチパネルへの VNC' },
    description: {
      en: 'Alice opens VNC (5900) to the touch panel and watches the operator screen for ten minutes.',
      ja: 'Alice はタッチパネルに VNC (5900) を開き、10 分間オペレーター画面を確認する。',
    },
    expectedVerdict: 'healthy',
    expectedProbe: 'answered',
    world: {
      sims: [
        simFor(24, 'panel-vnc-kobe-01', {
          device: { description: 'Touch panel with a built-in VNC server', services: [{ port: 5900, protocol: 'vnc', description: 'VNC server' }] },
        }),
      ],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'panel-vnc-kobe-01', devicePort: 5900, durationSec: 1800, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', sessionSec: 600 },
      { at: '+12m', do: 'wait' },
    ],
    diagnoseSimRef: 'panel-vnc-kobe-01',
    devicePort: 5900,
    demoSimName: 'demo-vnc',
  },
  {
    id: 'healthy-custom-port',
    title: { en: 'A custom port that waits for its client (Modbus/TCP)', ja: 'クライアントを待つ独自ポート (Modbus/TCP)' },
    description: {
      en: 'The PLC gateway serves Modbus/TCP on port 502; Alice’s SCADA tool polls it for thirty minutes. Modbus waits for its client, so SORACOM’s empty probe hears nothing: that proves nothing.',
      ja: 'PLC ゲートウェイはポート 502 で Modbus/TCP を提供している。Alice の SCADA ツールが 30 分間ポーリングする。Modbus はクライアントから話しかけるのを待つため、SORACOM の空の疎通確認には何も返さないが、それで何かが分かるわけではない。',
    },
    expectedVerdict: 'healthy',
    expectedProbe: 'inconclusive',
    world: {
      sims: [
        simFor(25, 'plc-modbus-chiba-01', {
          device: { description: 'PLC protocol gateway, embedded Linux', services: [{ port: 502, protocol: 'modbus', description: 'Modbus/TCP server' }] },
        }),
      ],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'plc-modbus-chiba-01', devicePort: 502, durationSec: 3600, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', sessionSec: 1800 },
      { at: '+32m', do: 'wait' },
    ],
    diagnoseSimRef: 'plc-modbus-chiba-01',
    devicePort: 502,
    demoSimName: 'demo-custom-port',
  },
  {
    id: 'device-port-closed',
    title: { en: 'Nothing listens yet, nobody has connected', ja: 'まだ誰も接続していないが、デバイスポートで何も待ち受けていない' },
    description: {
      en: 'Alice opened SSH a minute ago and has not connected yet; sshd is stopped after an update, so SORACOM’s own probe of port 22 is refused.',
      ja: 'Alice は 1 分前に SSH を有効にしたがまだ接続していない。アップデート後に sshd が停止しており、SORACOM からのポート 22 の疎通確認は拒否される。',
    },
    expectedVerdict: 'device-port-closed',
    expectedDeviceCause: 'refused',
    expectedVerdictWithoutProbe: 'insufficient-evidence',
    expectedProbe: 'refused',
    world: {
      sims: [simFor(26, 'gw-mito-01', { device: { ...SSH_DEVICE, services: [{ port: 22, protocol: 'ssh', state: 'stopped', description: 'OpenSSH (stopped)' }] } })],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-mito-01', devicePort: 22, durationSec: 1800, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-mito-01',
    devicePort: 22,
    demoSimName: 'demo-port-closed',
  },
  {
    id: 'denied-once-after-open',
    title: { en: 'One DENIED a minute after the open', ja: '有効にした 1 分後に DENIED が 1 回' },
    description: {
      en: 'Carol allowed the office address, tried once a minute later from her tethered laptop, was denied, and asked the bot ten minutes on. One DENIED proves her network reaches Napter: the address is the problem.',
      ja: 'Carol はオフィスのアドレスを許可し、1 分後にテザリング中のノート PC から 1 回だけ接続して拒否され、10 分後にボットに尋ねた。DENIED が 1 回でもあれば、ネットワークは SORACOM Napter に届いている。問題はアドレスにある。',
    },
    expectedVerdict: 'source-ip-mismatch',
    expectedProbe: 'answered',
    world: { sims: [simFor(27, 'gw-gifu-01', { device: SSH_DEVICE })], clients: [CLIENTS.carol] },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-gifu-01', devicePort: 22, durationSec: 1800, sourceIpRanges: OFFICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'carol-tethering' },
      { at: '+11m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-gifu-01',
    devicePort: 22,
    demoSimName: 'demo-denied-once',
  },
  {
    id: 'denied-two-addresses',
    title: { en: 'DENIED from two addresses', ja: '2 つのアドレスから DENIED' },
    description: {
      en: 'Frank allowed the office address, then tried from his home fibre and, after that failed, from his phone’s hotspot: both are denied. Either address may be his; he picks.',
      ja: 'Frank はオフィスのアドレスを許可したが、自宅の光回線から、続いてスマートフォンのテザリングから接続し、どちらも拒否された。どちらのアドレスも本人のものである可能性があるため、本人が選ぶ。',
    },
    expectedVerdict: 'source-ip-mismatch',
    expectedProbe: 'answered',
    world: { sims: [simFor(28, 'gw-nara-01', { device: SSH_DEVICE })], clients: [CLIENTS.frankHome, CLIENTS.frankPhone] },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-nara-01', devicePort: 22, durationSec: 1800, sourceIpRanges: OFFICE_RANGE },
      { at: '+2m', do: 'attempt', client: 'frank-home' },
      { at: '+4m', do: 'attempt', client: 'frank-phone' },
      { at: '+10m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-nara-01',
    devicePort: 22,
    demoSimName: 'demo-denied-two',
  },
  {
    id: 'just-opened',
    title: { en: 'Just opened, nobody has tried yet', ja: '有効にした直後で、まだ誰も接続していない' },
    description: {
      en: 'Alice opened SSH forty seconds ago and pressed Diagnose before connecting: nothing has tried yet, which is not a blocked network.',
      ja: 'Alice は 40 秒前に SSH を有効にし、接続する前に「診断」を押した。まだ誰も接続を試していないだけで、ネットワークが遮断されているわけではない。',
    },
    expectedVerdict: 'insufficient-evidence',
    expectedProbe: 'answered',
    world: { sims: [simFor(29, 'gw-toyama-01', { device: SSH_DEVICE })], clients: [CLIENTS.alice] },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-toyama-01', devicePort: 22, durationSec: 1800, sourceIpRanges: ALICE_RANGE },
      { at: '+40s', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-toyama-01',
    devicePort: 22,
    demoSimName: 'demo-just-opened',
  },
  {
    id: 'tls-on-https',
    title: { en: 'TLS turned on for an HTTPS device', ja: 'HTTPS のデバイスなのに TLS オプションが有効' },
    description: {
      en: 'The router serves HTTPS on 443, and the mapping has TLS on: Napter terminates TLS and sends the router plain HTTP, which it rejects at once.',
      ja: 'ルーターは 443 で HTTPS を提供しているのに、TLS オプションが有効。Napter が TLS を終端して平文の HTTP を送るため、ルーターはすぐに切断する。',
    },
    expectedVerdict: 'tls-on-non-tls-protocol',
    expectedProbe: 'answered',
    world: {
      sims: [
        simFor(30, 'router-hiroshima-01', {
          device: { description: 'Industrial LTE router', services: [{ port: 443, protocol: 'https', description: 'admin page, self-signed certificate' }] },
        }),
      ],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'router-hiroshima-01', devicePort: 443, durationSec: 1800, tlsRequired: true, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', repeat: 2, everySec: 20 },
      { at: '+3m', do: 'wait' },
    ],
    diagnoseSimRef: 'router-hiroshima-01',
    devicePort: 443,
    demoSimName: 'demo-tls-https',
  },
  {
    id: 'tls-on-ssh-2222',
    title: { en: 'TLS turned on for SSH on port 2222', ja: 'ポート 2222 の SSH なのに TLS オプションが有効' },
    description: {
      en: 'The fleet runs sshd on 2222 (the team says so in the bot’s policy); this mapping to 2222 has TLS on, so every SSH connection closes at once.',
      ja: 'このフリートでは sshd を 2222 番で動かしている (チームはボットのポリシーにそう書いている)。2222 番へのリモートアクセスで TLS が有効なため、SSH の接続はすぐに切れる。',
    },
    expectedVerdict: 'tls-on-non-tls-protocol',
    expectedProbe: 'answered',
    world: {
      sims: [simFor(31, 'gw-sapporo-02', { device: { ...SSH_DEVICE, services: [{ port: 2222, protocol: 'ssh', description: 'OpenSSH on 2222' }] } })],
      clients: [CLIENTS.alice],
    },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-sapporo-02', devicePort: 2222, durationSec: 1800, tlsRequired: true, sourceIpRanges: ALICE_RANGE },
      { at: '+1m', do: 'attempt', client: 'alice-laptop', repeat: 2, everySec: 30 },
      { at: '+3m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-sapporo-02',
    devicePort: 2222,
    protocol: 'ssh',
    demoSimName: 'demo-tls-port-2222',
  },
  {
    id: 'expired-without-access',
    title: { en: 'Expired without a single ACCESS', ja: 'ACCESS が一度もないまま期限切れ' },
    description: {
      en: 'Bob opened SSH for 30 minutes from the head office and tried three times; the corporate firewall let none of it out. The mapping expired with no ACCESS at all: expired, and the network is the reason it was never used.',
      ja: 'Bob は本社から SSH を 30 分有効にして 3 回接続を試したが、社内のファイアウォールがすべて止めた。ACCESS が一度もないまま期限が切れた。期限切れであり、使えなかった原因はネットワークにある。',
    },
    expectedVerdict: 'mapping-expired',
    expectedProbe: 'answered',
    world: { sims: [simFor(32, 'gw-okinawa-01', { device: SSH_DEVICE })], clients: [CLIENTS.bob] },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-okinawa-01', devicePort: 22, durationSec: 1800, sourceIpRanges: ['198.51.100.23/32'] },
      { at: '+2m', do: 'attempt', client: 'bob-office-pc', repeat: 3, everySec: 120 },
      { at: '+40m', do: 'wait' },
    ],
    diagnoseSimRef: 'gw-okinawa-01',
    devicePort: 22,
    demoSimName: 'demo-never-reached',
  },
];
