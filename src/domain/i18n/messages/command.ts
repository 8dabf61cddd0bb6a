/**
 * Texts of the command area. Keys are `command.*`: `usage.*` (one line per subcommand), `help.*` (the
 * sections of `/napter help`, in the order `helpMessages()` lists them), the refusals of the parser
 * (`sim.*`, `open.*`, `diagnose.*`, `close.*`, and the general ones), `duration.*` and `source.*`.
 * Text is Slack mrkdwn; a `{token}`/`{input}` is the user's own input, already stripped of backticks.
 */

const GLOBAL_ONLY_EN =
  'Napter accepts only global IP addresses as the source: give the address your network uses on the internet, or use `from me` to look it up.';
const GLOBAL_ONLY_JA =
  'SORACOM Napter のアクセス元 IP アドレスにはグローバル IP アドレスのみ指定できます。お使いのネットワークがインターネット上で使うグローバル IP アドレスを指定するか、`from me` で確認してください。';

const en = {
  'command.usage.open': '`/napter open <sim> [ssh|http|https|rdp|vnc|<port>] [for <duration>] [from <ip|cidr|me|last>] [tls|notls]`',
  'command.usage.diagnose': '`/napter diagnose <sim> [since <duration>]`',
  'command.usage.list': '`/napter list [<sim>]`',
  'command.usage.close': '`/napter close <sim|endpoint>`',
  'command.usage.history': '`/napter history [<sim>] [since <duration>]`',
  'command.usage.help': '`/napter help [open|diagnose|list|close|history]`',
  'command.usage.general': '`/napter open|diagnose|list|close|history|help …` (`/napter help` shows every form with examples)',

  'command.help.title':
    '*/napter: SORACOM Napter remote access from Slack*\nOpens on-demand remote access to a device, allowed only from your own global IP address, and finds out why a connection fails.',
  'command.help.open':
    '*Open remote access*\n' +
    '`/napter open <sim> [ssh|http|https|rdp|vnc|<port>] [for <duration>] [from <ip|cidr|me|last>] [tls|notls]`\n' +
    '• Device port: `ssh` 22 (the default), `http` 80, `https` 443, `rdp` 3389, `vnc` 5900, or the port as a number (`8080`). `ssh 2222` is SSH on port 2222.\n' +
    '• Duration: 30 minutes by default, at most 8 hours: `90s`, `45m`, `2h`, `1h30m`. A bare number after `for` is minutes.\n' +
    '• Source: `me` (the default) sends you a one-time link that confirms your global IP address; `last` reuses the address you confirmed last time; or give a global address or CIDR (`203.0.113.5`, `203.0.113.0/28`).\n' +
    '• TLS: off by default. `tls` makes Napter terminate TLS for a device that serves plain HTTP (`http tls`). It does not work with SSH, RDP or VNC.\n' +
    '• Napter forwards TCP only: UDP, ICMP and ping do not pass.\n' +
    'Examples: `/napter open gw-01` · `/napter open 295050000000001 rdp for 2h` · `/napter open gw-01 http tls from 203.0.113.5` · `/napter open gw-01 8080 for 45`',
  'command.help.diagnose':
    '*Diagnose a failed connection*\n' +
    '`/napter diagnose <sim> [since <duration>]`\n' +
    'Reads the SIM’s state, its port mappings and the Napter audit log (the last 24 hours by default, at most 366 days), names the cause, and posts the evidence and the fix in a thread.\n' +
    'Examples: `/napter diagnose gw-01` · `/napter diagnose gw-01 since 6h`',
  'command.help.list':
    '*List port mappings*\n' +
    '`/napter list [<sim>]`\n' +
    'Shows the active port mappings, for one SIM or for all, including those opened outside the bot.\n' +
    'Examples: `/napter list` · `/napter list gw-01`',
  'command.help.close':
    '*Close remote access early*\n' +
    '`/napter close <sim|endpoint>`\n' +
    'Deletes the SIM’s port mapping, or the one at an endpoint as the bot showed it (`ip:port` or `hostname:port`).\n' +
    'Examples: `/napter close gw-01` · `/napter close 203.0.113.10:40123`',
  'command.help.history':
    '*Who opened what, and what connected*\n' +
    '`/napter history [<sim>] [since <duration>]`\n' +
    'Lists from the bot’s own records who opened, extended, reused or closed remote access, or was refused it, for which SIM, when and from which source range, with the connections Napter logged on each mapping. The records outlast the audit log’s 24 hours. The last 7 days by default; you see only the SIMs the policy lets you see. The list can also be sent to you privately as a CSV file.\n' +
    'Examples: `/napter history` · `/napter history gw-01 since 30d`',
  'command.help.sim':
    '*`<sim>`* is an IMSI (15 digits), a SIM ID (18–20 digits) or the SIM’s name. Quote a name that has spaces (`"my gateway"`). Full-width characters are fine.',
  'command.help.help': '`/napter help [open|diagnose|list|close|history]` shows this help, or the help of one command.',

  'command.input-too-long': 'The command is too long: at most {max} characters.',
  'command.unknown-subcommand': '`{token}` is not a /napter command.',
  'command.unknown-subcommand-suggest': '`{token}` is not a /napter command. Did you mean `{suggestion}`?',
  'command.unknown-option': '`{token}` is not an option of this command.',
  'command.option-twice': '`{option}` was given twice with different values: give it once.',
  'command.missing-value': '`{option}` needs a value after it.',
  'command.too-many-arguments': '`{token}` is one argument too many.',

  'command.sim.missing': 'Name the SIM after `{subcommand}`: an IMSI, a SIM ID or the SIM’s name.',
  'command.sim.missing-before-option':
    '`{token}` is an option, so the SIM is missing: put the SIM right after `{subcommand}` (`/napter {subcommand} <sim> …`).',
  'command.sim.digit-count': '`{input}` has {count} digits, but an IMSI has 15 and a SIM ID 18 to 20: check for a missing or extra digit.',
  'command.sim.name-too-short':
    '`{input}` is too short to search for: SORACOM searches SIM names by at least 2 characters. Give more of the name, or the IMSI or SIM ID.',
  'command.sim.name-comma': '`{input}` contains a comma, which SORACOM’s SIM search reads as “or”: give one name without commas.',
  'command.sim.invalid':
    '`{input}` is not a SIM: use an IMSI (15 digits), a SIM ID (18–20 digits) or the SIM’s name (letters, digits, `-`, `_`, `.`; quote a name that has spaces).',

  'command.open.tcp-only':
    'SORACOM Napter forwards TCP only, so `{token}` cannot pass through it. Give the device’s TCP port; to check that the device answers, use `/napter diagnose <sim>`.',
  'command.open.conflicting-protocols': 'Choose one protocol, `{first}` or `{second}`. For a different port, add it as a number (`ssh 2222`).',
  'command.open.invalid-port': '`{input}` is not a device port: give a number from 1 to 65535.',
  'command.open.tcp-needs-port': '`tcp` needs the device port as a number, for example `tcp 1883`.',
  'command.open.tls-not-for-protocol':
    'The TLS option does not work with {protocol} (port {port}): Napter would terminate TLS, and a {protocol} client does not speak TLS to it, so the connection fails. Leave out `tls`. The TLS option is for devices that serve plain HTTP (`http tls`).',
  'command.open.tls-with-https':
    '`https` means the device already serves TLS on port {port}. With `tls`, Napter would terminate TLS and pass plain text to the device, which it rejects. Use `https` without `tls`, or `http tls` for a device that serves plain HTTP.',
  'command.open.duration-over-cap':
    '`{input}` is longer than Napter allows: remote access lasts at most {maxHours} hours. Ask for {maxHours}h or less, and open it again when it expires.',

  'command.diagnose.since-over-cap':
    '`{input}` reaches further back than the audit log keeps: at most {maxDays} days (24 hours unless the paid retention option is on).',

  'command.close.missing-target': 'Name what to close: the SIM (`/napter close gw-01`) or the endpoint (`/napter close 203.0.113.10:40123`).',
  'command.close.invalid-endpoint': '`{input}` is not an endpoint: write it as `ip:port` or `hostname:port`.',
  'command.close.endpoint-needs-port': '`{input}` needs its port: write the endpoint as `ip:port` or `hostname:port`, as the bot showed it to you.',

  'command.duration.empty': 'The duration is missing: for example `30m`, `2h` or `1h30m`.',
  'command.duration.invalid': '`{input}` is not a duration: write it like `90s`, `45m`, `2h` or `1h30m` (a bare number is minutes).',
  'command.duration.zero': '`{input}` is zero: give a duration of at least one second.',
  'command.duration.negative': '`{input}` is negative: give a positive duration, such as `30m`.',
  'command.duration.too-long': '`{input}` is too long: a duration is at most 366 days.',
  'command.duration.fraction-of-second': '`{input}` is not a whole number of seconds.',

  'command.source.invalid':
    '`{input}` is not an IP address or CIDR: write an IPv4 address as four decimal numbers (`203.0.113.5`), a range as `203.0.113.0/28`, or use `me`.',
  'command.source.any-address':
    '`{input}` would let anyone on the internet connect to the device: give your own global address (`from me` looks it up) or a narrow range.',
  'command.source.host-bits-set':
    '`{input}` does not start on a range boundary. Did you mean `{network}` (the whole range) or `{address}` (that address only)?',
  'command.source.too-wide':
    '`{input}` is a /{prefix}, wider than allowed: the widest range is a /{maxPrefix}. Give a narrower range or your own address (`from me`).',
  'command.source.not-global.unspecified': `\`{input}\` is or includes an unspecified address (0.0.0.0/8, ::). ${GLOBAL_ONLY_EN}`,
  'command.source.not-global.private': `\`{input}\` is or includes a private address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16). ${GLOBAL_ONLY_EN}`,
  'command.source.not-global.carrier-grade-nat': `\`{input}\` is or includes a carrier-grade NAT address (100.64.0.0/10), used inside mobile and ISP networks. ${GLOBAL_ONLY_EN}`,
  'command.source.not-global.loopback': `\`{input}\` is or includes a loopback address (127.0.0.0/8, ::1). ${GLOBAL_ONLY_EN}`,
  'command.source.not-global.link-local': `\`{input}\` is or includes a link-local address (169.254.0.0/16, fe80::/10). ${GLOBAL_ONLY_EN}`,
  'command.source.not-global.multicast': `\`{input}\` is or includes a multicast address (224.0.0.0/4, ff00::/8). ${GLOBAL_ONLY_EN}`,
  'command.source.not-global.broadcast': `\`{input}\` is the broadcast address. ${GLOBAL_ONLY_EN}`,
  'command.source.not-global.unique-local': `\`{input}\` is or includes an IPv6 unique local address (fc00::/7). ${GLOBAL_ONLY_EN}`,
  'command.source.not-global.reserved': `\`{input}\` is or includes a reserved or special-purpose address. ${GLOBAL_ONLY_EN}`,
};

export const commandMessages = {
  en,
  ja: {
    'command.usage.open': '`/napter open <SIM> [ssh|http|https|rdp|vnc|<ポート番号>] [for <期間>] [from <IP アドレス|CIDR|me|last>] [tls|notls]`',
    'command.usage.diagnose': '`/napter diagnose <SIM> [since <期間>]`',
    'command.usage.list': '`/napter list [<SIM>]`',
    'command.usage.close': '`/napter close <SIM|エンドポイント>`',
    'command.usage.history': '`/napter history [<SIM>] [since <期間>]`',
    'command.usage.help': '`/napter help [open|diagnose|list|close|history]`',
    'command.usage.general': '`/napter open|diagnose|list|close|history|help …`（すべての書き方と例は `/napter help` で確認できます）',

    'command.help.title':
      '*/napter: Slack から SORACOM Napter を利用します*\nアクセス元 IP アドレスをご自身のグローバル IP アドレスに限定してデバイスへのオンデマンドリモートアクセスを有効にし、接続できない場合はその原因を切り分けます。',
    'command.help.open':
      '*リモートアクセスを有効にする*\n' +
      '`/napter open <SIM> [ssh|http|https|rdp|vnc|<ポート番号>] [for <期間>] [from <IP アドレス|CIDR|me|last>] [tls|notls]`\n' +
      '• デバイスポート: `ssh` 22（既定）、`http` 80、`https` 443、`rdp` 3389、`vnc` 5900、または番号（`8080`）で指定します。`ssh 2222` はポート 2222 の SSH です。\n' +
      '• 期間: 既定は 30 分、最大 8 時間です。`90s`、`45m`、`2h`、`1h30m`、`30分`、`2時間` のように指定します。`for` の後の数字のみは分として扱います。\n' +
      '• アクセス元: `me`（既定）ではグローバル IP アドレスを確認する 1 回限りのリンクをお送りします。`last` は前回確認したアドレスを使います。グローバル IP アドレスや CIDR（`203.0.113.5`、`203.0.113.0/28`）も指定できます。\n' +
      '• TLS: 既定は無効です。`tls` を指定すると SORACOM Napter が TLS を終端します。HTTP で待ち受けるデバイス向けです（`http tls`）。SSH、RDP、VNC では利用できません。\n' +
      '• SORACOM Napter で利用できるのは TCP のみです。UDP、ICMP、ping は通りません。\n' +
      '例: `/napter open gw-01` · `/napter open 295050000000001 rdp for 2h` · `/napter open gw-01 http tls from 203.0.113.5` · `/napter open gw-01 8080 for 45`',
    'command.help.diagnose':
      '*接続できない原因を切り分ける*\n' +
      '`/napter diagnose <SIM> [since <期間>]`\n' +
      'SIM の状態、ポートマッピング、Napter 監査ログ（既定は直近 24 時間、最大 366 日間）を確認して原因を特定し、根拠と対処をスレッドに投稿します。\n' +
      '例: `/napter diagnose gw-01` · `/napter diagnose gw-01 since 6h`',
    'command.help.list':
      '*ポートマッピングを一覧表示する*\n' +
      '`/napter list [<SIM>]`\n' +
      '有効なポートマッピングを、SIM ごとまたはすべて表示します。napter-bot 以外で作成されたものも含みます。\n' +
      '例: `/napter list` · `/napter list gw-01`',
    'command.help.close':
      '*リモートアクセスを早めに無効にする*\n' +
      '`/napter close <SIM|エンドポイント>`\n' +
      'SIM のポートマッピング、または napter-bot がお知らせしたエンドポイント（`IP アドレス:ポート` または `ホスト名:ポート`）のポートマッピングを削除します。\n' +
      '例: `/napter close gw-01` · `/napter close 203.0.113.10:40123`',
    'command.help.history':
      '*誰がいつ何を有効にし、何が接続したかを確認する*\n' +
      '`/napter history [<SIM>] [since <期間>]`\n' +
      'napter-bot の記録から、リモートアクセスを有効化・延長・再利用・削除した人、拒否された人を、SIM、日時、アクセス元の範囲とともに一覧表示し、各ポートマッピングで Napter 監査ログに記録された接続の数を添えます。記録は監査ログの 24 時間を過ぎても残ります。既定は直近 7 日間で、表示されるのはポリシーで閲覧が許可された SIM のみです。一覧は CSV ファイルとしてご自身だけに送ることもできます。\n' +
      '例: `/napter history` · `/napter history gw-01 since 30d`',
    'command.help.sim':
      '*`<SIM>`* には IMSI（15 桁）、SIM ID（18〜20 桁）、または SIM の名前を指定します。空白を含む名前は引用符で囲んでください（`"my gateway"`）。全角文字でも入力できます。',
    'command.help.help': '`/napter help [open|diagnose|list|close|history]` でこのヘルプ、または各コマンドのヘルプを表示します。',

    'command.input-too-long': 'コマンドが長すぎます。{max} 文字以内で入力してください。',
    'command.unknown-subcommand': '`{token}` は /napter のコマンドではありません。',
    'command.unknown-subcommand-suggest': '`{token}` は /napter のコマンドではありません。`{suggestion}` のことでしょうか？',
    'command.unknown-option': '`{token}` はこのコマンドのオプションではありません。',
    'command.option-twice': '`{option}` が異なる値で 2 回指定されています。1 回だけ指定してください。',
    'command.missing-value': '`{option}` の後に値を指定してください。',
    'command.too-many-arguments': '`{token}` は余分な引数です。',

    'command.sim.missing': '`{subcommand}` の後に SIM（IMSI、SIM ID、または SIM の名前）を指定してください。',
    'command.sim.missing-before-option':
      '`{token}` はオプションのため、SIM が指定されていません。`{subcommand}` の直後に SIM を指定してください（`/napter {subcommand} <SIM> …`）。',
    'command.sim.digit-count': '`{input}` は {count} 桁です。IMSI は 15 桁、SIM ID は 18〜20 桁です。桁の不足や重複がないかご確認ください。',
    'command.sim.name-too-short':
      '`{input}` は短すぎるため検索できません。SORACOM の SIM 名の検索には 2 文字以上が必要です。名前をもっと長く指定するか、IMSI または SIM ID を指定してください。',
    'command.sim.name-comma':
      '`{input}` にはカンマが含まれています。SORACOM の SIM 検索はカンマを「または」として扱うため、カンマを含まない名前を 1 つ指定してください。',
    'command.sim.invalid':
      '`{input}` は SIM として扱えません。IMSI（15 桁）、SIM ID（18〜20 桁）、または SIM の名前（英数字、`-`、`_`、`.`。空白を含む場合は引用符で囲みます）を指定してください。',

    'command.open.tcp-only':
      'SORACOM Napter で利用できるのは TCP のみのため、`{token}` は利用できません。デバイスの TCP ポートを指定してください。デバイスが応答するかどうかは `/napter diagnose <SIM>` で確認できます。',
    'command.open.conflicting-protocols':
      'プロトコルは `{first}` と `{second}` のどちらか 1 つを指定してください。別のポートを使う場合は番号を添えます（`ssh 2222`）。',
    'command.open.invalid-port': '`{input}` はデバイスポートとして指定できません。1〜65535 の番号を指定してください。',
    'command.open.tcp-needs-port': '`tcp` にはデバイスポートの番号を指定してください（例: `tcp 1883`）。',
    'command.open.tls-not-for-protocol':
      '{protocol}（ポート {port}）では TLS オプションを利用できません。SORACOM Napter が TLS を終端しますが、{protocol} クライアントは TLS で接続しないため、接続に失敗します。`tls` を外してください。TLS オプションは HTTP で待ち受けるデバイス向けです（`http tls`）。',
    'command.open.tls-with-https':
      '`https` はデバイス自身がポート {port} で TLS を提供していることを表します。`tls` を指定すると SORACOM Napter が TLS を終端し、暗号化されていない通信をデバイスへ送るため、デバイスが受け付けません。`tls` を付けずに `https` を指定するか、HTTP で待ち受けるデバイスには `http tls` を指定してください。',
    'command.open.duration-over-cap':
      '`{input}` は SORACOM Napter の上限を超えています。リモートアクセスの有効期間は最大 {maxHours} 時間です。{maxHours} 時間以内で指定し、期限が切れたら再度有効にしてください。',

    'command.diagnose.since-over-cap':
      '`{input}` は Napter 監査ログの保管期間を超えています。遡れるのは最大 {maxDays} 日間です（有料の保管期間延長オプションを利用していない場合は 24 時間です）。',

    'command.close.missing-target':
      '無効にする対象を指定してください。SIM（`/napter close gw-01`）またはエンドポイント（`/napter close 203.0.113.10:40123`）を指定できます。',
    'command.close.invalid-endpoint':
      '`{input}` はエンドポイントとして読み取れません。`IP アドレス:ポート` または `ホスト名:ポート` の形式で指定してください。',
    'command.close.endpoint-needs-port':
      '`{input}` にはポート番号が必要です。napter-bot がお知らせしたとおり `IP アドレス:ポート` または `ホスト名:ポート` の形式で指定してください。',

    'command.duration.empty': '期間が指定されていません。`30m`、`2h`、`1h30m` のように指定してください。',
    'command.duration.invalid':
      '`{input}` は期間として読み取れません。`90s`、`45m`、`2h`、`1h30m`、`30分`、`2時間` のように指定してください（数字のみの場合は分として扱います）。',
    'command.duration.zero': '`{input}` は 0 です。1 秒以上の期間を指定してください。',
    'command.duration.negative': '`{input}` は負の値です。`30m` のように正の期間を指定してください。',
    'command.duration.too-long': '`{input}` は長すぎます。期間は最大 366 日です。',
    'command.duration.fraction-of-second': '`{input}` は秒単位の整数になりません。',

    'command.source.invalid':
      '`{input}` は IP アドレスまたは CIDR として読み取れません。IPv4 アドレスは 4 つの 10 進数（`203.0.113.5`）、範囲は `203.0.113.0/28` のように指定するか、`me` をご利用ください。',
    'command.source.any-address':
      '`{input}` を指定すると、インターネット上の誰でもデバイスに接続できてしまいます。ご自身のグローバル IP アドレス（`from me` で確認できます）または狭い範囲を指定してください。',
    'command.source.host-bits-set': '`{input}` は範囲の先頭になっていません。`{network}`（範囲全体）と `{address}`（このアドレスのみ）のどちらを指定しますか？',
    'command.source.too-wide':
      '`{input}` は /{prefix} で、許可された範囲より広すぎます。指定できる最も広い範囲は /{maxPrefix} です。より狭い範囲か、ご自身のアドレス（`from me`）を指定してください。',
    'command.source.not-global.unspecified': `\`{input}\` には未指定アドレス（0.0.0.0/8、::）が含まれます。${GLOBAL_ONLY_JA}`,
    'command.source.not-global.private': `\`{input}\` にはプライベート IP アドレス（10.0.0.0/8、172.16.0.0/12、192.168.0.0/16）が含まれます。${GLOBAL_ONLY_JA}`,
    'command.source.not-global.carrier-grade-nat': `\`{input}\` にはキャリアグレード NAT のアドレス（100.64.0.0/10。モバイル網やプロバイダの内部で使われます）が含まれます。${GLOBAL_ONLY_JA}`,
    'command.source.not-global.loopback': `\`{input}\` にはループバックアドレス（127.0.0.0/8、::1）が含まれます。${GLOBAL_ONLY_JA}`,
    'command.source.not-global.link-local': `\`{input}\` にはリンクローカルアドレス（169.254.0.0/16、fe80::/10）が含まれます。${GLOBAL_ONLY_JA}`,
    'command.source.not-global.multicast': `\`{input}\` にはマルチキャストアドレス（224.0.0.0/4、ff00::/8）が含まれます。${GLOBAL_ONLY_JA}`,
    'command.source.not-global.broadcast': `\`{input}\` はブロードキャストアドレスです。${GLOBAL_ONLY_JA}`,
    'command.source.not-global.unique-local': `\`{input}\` には IPv6 のユニークローカルアドレス（fc00::/7）が含まれます。${GLOBAL_ONLY_JA}`,
    'command.source.not-global.reserved': `\`{input}\` には予約済み、または特殊用途のアドレスが含まれます。${GLOBAL_ONLY_JA}`,
  } satisfies Record<keyof typeof en, string>,
};
