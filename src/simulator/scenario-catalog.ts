import type { Scenario } from './scenario-types';
import type { ClientSpec, DeviceSpec, SimSpec } from './world-spec';

/**
 * One scenario per verdict of PRODUCT.md §3 (several for `device-side-problem` and `device-port-closed`,
 * one per cause the guide lists). Identities are distinct across the catalog so the demo world can hold
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
    expectedProbe: 'open',
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
    title: { en: 'No SIM has that name', ja: 'その名前の SIM がない' },
    description: {
      en: 'The user types gw-nagoya-10; the only gateway in Nagoya is gw-nagoya-01.',
      ja: 'gw-nagoya-10 と入力したが、名古屋のゲートウェイは gw-nagoya-01 だけ。',
    },
    expectedVerdict: 'sim-not-found',
    expectedProbe: 'not-run',
    world: { sims: [simFor(2, 'gw-nagoya-01', { device: SSH_DEVICE })], clients: [CLIENTS.alice] },
    steps: [],
    diagnoseSimRef: 'gw-nagoya-10',
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
    expectedProbe: 'open',
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
    expectedProbe: 'open',
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
    expectedProbe: 'open',
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
    expectedProbe: 'open',
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
    expectedProbe: 'open',
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
    expectedProbe: 'open',
    world: { sims: [simFor(10, 'gw-chiba-01', { device: SSH_DEVICE })], clients: [CLIENTS.bob] },
    steps: [
      { at: '+0s', do: 'open-mapping', sim: 'gw-chiba-01', devicePort: 22, durationSec: 1800, sourceIpRanges: ['198.51.100.23/32'] },
      { at: '+1m', do: 'attempt', client: 'bob-office-pc', repeat: 3, everySec: 60 },
      { at: '+5m', do: 'wait' },
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
    expectedProbe: 'open',
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
    expectedProbe: 'open',
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
      en: 'iptables on the gateway accepts SSH from 192.168.1.0/24 and 100.127.0.0/16 only. It worked over Wi-Fi; through Napter the client address is dropped, while SORACOM\'s own probe gets in.',
      ja: 'ゲートウェイの iptables は 192.168.1.0/24 と 100.127.0.0/16 からの SSH だけを許可。Wi-Fi では使えたが、Napter 経由では利用者のアドレスが破棄される (SORACOM からの疎通確認は通る)。',
    },
    expectedVerdict: 'device-side-problem',
    expectedProbe: 'open',
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
    expectedProbe: 'open',
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
      en: 'sshd was moved to 2222; port 22 now belongs to the PLC gateway maintenance console, which hangs up on SSH clients.',
      ja: 'sshd は 2222 番に移された。22 番は PLC ゲートウェイの保守コンソールが使っており、SSH クライアントを切断する。',
    },
    expectedVerdict: 'device-side-problem',
    expectedProbe: 'open',
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
    expectedProbe: 'open',
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
      en: 'sshd on the gateway allows logins only from the LAN (AllowUsers pi@192.168.1.*, hosts.deny ALL): it accepts, then drops every Napter client.',
      ja: 'ゲートウェイの sshd は LAN からのログインだけを許可 (AllowUsers / hosts.deny)。Napter 経由の接続は受け付けた直後に切断される。',
    },
    expectedVerdict: 'device-side-problem',
    expectedProbe: 'open',
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
    id: 'device-port-closed',
    title: { en: 'Nothing listens on the device port', ja: 'デバイスポートで何も待ち受けていない' },
    description: {
      en: 'sshd is stopped after an update; the device answers RST, and SORACOM\'s own TCP probe to port 22 fails too.',
      ja: 'アップデート後に sshd が停止。デバイスは RST を返し、SORACOM からの TCP 疎通確認も失敗する。',
    },
    expectedVerdict: 'device-port-closed',
    expectedProbe: 'failed',
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
    demoSimName: 'demo-port-closed',
  },
  {
    id: 'device-port-closed-firewall',
    title: { en: 'Device firewall admits only the LAN', ja: 'デバイスのファイアウォールが LAN だけを許可' },
    description: {
      en: 'Windows Firewall allows RDP from the local subnet only: Napter clients and SORACOM\'s probe are both dropped.',
      ja: 'Windows ファイアウォールがローカルサブネットからの RDP だけを許可。Napter 経由の接続も SORACOM からの疎通確認も破棄される。',
    },
    expectedVerdict: 'device-port-closed',
    expectedProbe: 'failed',
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
      { at: '+3m', do: 'wait' },
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
    expectedProbe: 'open',
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
];
