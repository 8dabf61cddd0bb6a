/**
 * Texts of the diagnosis area. Keys are `diagnosis.*`: `verdict.<id>.title|summary`, `cause.<id>`,
 * `step.*` (next steps), `note.*` (caveats about the evidence), `why.*` (why an audit event is evidence),
 * `remedy.*` (labels of the fixes). Summaries go to the channel, so no text here carries an address or endpoint.
 * The Japanese follows SORACOM's troubleshooting guide's own wording.
 */
const en = {
  'diagnosis.verdict.sim-not-found.title': 'SIM not found',
  'diagnosis.verdict.sim-not-found.summary': 'No SIM matches what you typed, so there is nothing to diagnose.',
  'diagnosis.verdict.sim-inactive.title': 'SIM is not active',
  'diagnosis.verdict.sim-inactive.summary': 'The SIM’s status is {status}: only an active or ready SIM carries data, so Napter cannot reach the device.',
  'diagnosis.sim-status.active': 'active',
  'diagnosis.sim-status.inactive': 'inactive',
  'diagnosis.sim-status.ready': 'ready',
  'diagnosis.sim-status.standby': 'standby',
  'diagnosis.sim-status.suspended': 'suspended',
  'diagnosis.sim-status.terminated': 'terminated',
  'diagnosis.verdict.sim-offline.title': 'Device is offline',
  'diagnosis.verdict.sim-offline.summary': 'The SIM has no online session: Napter can only reach a device that is attached to the network.',
  'diagnosis.verdict.no-mapping.title': 'No remote access is open',
  'diagnosis.verdict.no-mapping.summary': 'No Napter remote access (port mapping) exists for this SIM in the time window.',
  'diagnosis.verdict.mapping-expired.title': 'Remote access has expired',
  'diagnosis.verdict.mapping-expired.summary': 'The latest Napter remote access has expired; connections to its endpoint are now denied.',
  'diagnosis.verdict.mapping-expired.summary-deleted':
    'The latest Napter remote access was deleted before its expiry; connections to its endpoint are now denied.',
  'diagnosis.verdict.tls-on-non-tls-protocol.title': 'TLS is on for a protocol that cannot use it',
  'diagnosis.verdict.tls-on-non-tls-protocol.summary':
    'The TLS option is on for device port {port}, which speaks {protocol}: behind Napter’s TLS termination {protocol} cannot work. Turn TLS off.',
  'diagnosis.verdict.client-network-blocked.title': 'Your network blocks Napter',
  'diagnosis.verdict.client-network-blocked.summary':
    'Remote access has been open for {minutes} minutes, but nothing from you ever reached Napter (no ACCESS, no DENIED in the audit log): your network is probably blocking it.',
  'diagnosis.verdict.source-ip-mismatch.title': 'Your address is not allowed',
  'diagnosis.verdict.source-ip-mismatch.summary':
    'Napter denied {count} connection(s) (DENIED) from {addresses}: outside the allowed source IP range. If one of these is you, open again for that address.',
  'diagnosis.verdict.source-ip-refused.title': 'Your address was blocked',
  'diagnosis.verdict.source-ip-refused.summary': 'After repeated DENIED attempts, Napter treated your address as abusive and blocked it (REFUSED).',
  'diagnosis.verdict.device-side-problem.title': 'Problem on the device side',
  'diagnosis.verdict.device-side-problem.summary':
    'Napter reached the device (CONNECTED), but the connections to port {port} do not work: the cause is on the device.',
  'diagnosis.verdict.device-port-closed.title': 'Device port is closed',
  'diagnosis.verdict.device-port-closed.summary':
    'SORACOM’s own connection to device port {port} was refused: nothing accepts connections there (the service is stopped or listens on another port).',
  'diagnosis.verdict.healthy.title': 'Napter path works',
  'diagnosis.verdict.healthy.summary':
    'Your connections reach the device and stay open normally: nothing blocks Napter. Look at the client or the application.',
  'diagnosis.verdict.insufficient-evidence.title': 'Not enough evidence',
  'diagnosis.verdict.insufficient-evidence.summary': 'The audit log does not show enough about your connections to name a cause.',
  'diagnosis.verdict.insufficient-evidence.summary-empty': 'The audit log has no events for this SIM in the time window.',

  'diagnosis.cause.mapping-expired': 'The Napter remote access has expired',
  'diagnosis.cause.client-network-blocked': 'Your network blocks access to Napter',
  'diagnosis.cause.tls-on-non-tls-protocol': 'The TLS option is on for a protocol that cannot use it (SSH, RDP, VNC, HTTPS)',
  'diagnosis.cause.wrong-device-port': 'The device port number is wrong',
  'diagnosis.cause.device-firewall': 'The device blocks the connection (iptables, Windows Firewall)',
  'diagnosis.cause.source-ip-mismatch': 'The connection comes from an address outside the allowed source IP range',
  'diagnosis.cause.source-ip-refused': 'Napter blocked the source address after repeated denials',
  'diagnosis.cause.device-routing-other-interface': 'The device routes through Wi-Fi or wired LAN instead of the cellular interface',
  'diagnosis.cause.device-application-down': 'The application on the device is not running or rejects the client',

  'diagnosis.step.check-sim-ref': 'Check the IMSI, SIM ID or name you gave (the name is the SIM’s `name` tag).',
  'diagnosis.step.activate-sim': 'The SIM is {status}: make it active in the SORACOM User Console, then try again.',
  'diagnosis.step.napter-needs-online': 'Napter needs the device to be online: check that the device is powered and attached to the network.',
  'diagnosis.step.attach-device': 'Check the device’s antenna, APN settings and signal, or restart its modem, then diagnose again.',
  'diagnosis.step.open-mapping': 'Open remote access first with `/napter open`, then connect.',
  'diagnosis.step.open-again': 'Open remote access again and connect to the new endpoint.',
  'diagnosis.step.default-duration': 'Remote access lasts 30 minutes by default (at most 8 hours): open it for longer if you need more time.',
  'diagnosis.step.api-unit-seconds': 'If you create it with the SORACOM API, `duration` is in seconds, not minutes or milliseconds.',
  'diagnosis.step.reopen-tls-off': 'Open remote access again with TLS off: {protocol} on port {port} needs the connection passed through untouched.',
  'diagnosis.step.tls-for-plain-http': 'The TLS option is for devices that serve plain HTTP; leave it off for SSH, RDP and devices that already serve HTTPS.',
  'diagnosis.step.ask-network-admin':
    'Ask your network administrator whether a proxy or firewall blocks the endpoint’s IP address and port (the ones the bot sent you), and to allow them.',
  'diagnosis.step.try-other-network': 'To confirm, try once from another network (for example a phone’s tethering).',
  'diagnosis.step.try-now-if-not-yet': 'If you have not tried to connect yet, connect now and diagnose again.',
  'diagnosis.step.stop-retrying': 'Stop retrying from that address: more attempts keep it blocked.',
  'diagnosis.step.compare-source-address': 'Compare the source addresses in the evidence with the address you allowed when opening.',
  'diagnosis.step.check-global-range': 'If they differ, check the range of global IP addresses your network uses (several, or changing, addresses are common).',
  'diagnosis.step.confirm-observed-address': 'If the address seen is yours, open again for it with one click.',
  'diagnosis.step.check-device-port':
    'Check that the device port number is right: port {port} must be the one the service listens on (another service may answer there).',
  'diagnosis.step.check-device-routing':
    'Check the device’s routing: if Wi-Fi or wired LAN is preferred over the cellular interface, replies leave by the wrong path.',
  'diagnosis.step.check-device-firewall':
    'Check that iptables or Windows Firewall on the device does not block the connection (including rules by IP address range).',
  'diagnosis.step.check-device-application': 'Check that the application on the device is running and accepts the client.',
  'diagnosis.step.capture-packets': 'If all of this looks fine, capture packets on the device or with SORACOM Peek to see whether it answers.',
  'diagnosis.step.open-with-intended-port': 'The remote access points at a different port from the one you meant: open it again to device port {port}.',
  'diagnosis.step.look-at-client': 'Check the client: the command, user name, key or password, and the client’s own error message.',
  'diagnosis.step.try-now-while-watching': 'Try to connect now and diagnose again: the bot reads the fresh audit log.',
  'diagnosis.step.start-peek': 'Or start a packet capture (SORACOM Peek) while you try, to see whether packets reach the device.',
  'diagnosis.step.tcp-only': 'Napter forwards TCP only: UDP, ICMP and ping do not go through it.',

  'diagnosis.why.attempt-without-mapping': 'A connection attempt while no remote access existed',
  'diagnosis.why.expired': 'EXPIRED: the remote access reached the end of its duration',
  'diagnosis.why.deleted': 'DELETED: the remote access was deleted before its expiry',
  'diagnosis.why.denied-after-end': 'Denied after the remote access had ended',
  'diagnosis.why.created-with-tls': 'Remote access created with TLS on, to device port {port} ({protocol})',
  'diagnosis.why.connected-with-tls': 'Connected with TLS to device port {port}, which speaks {protocol}',
  'diagnosis.why.created-no-access': 'CREATED, and no ACCESS from you since',
  'diagnosis.why.denied-before-refused': 'DENIED by the source IP restriction',
  'diagnosis.why.refused': 'REFUSED: Napter blocked the address after repeated denials',
  'diagnosis.why.denied-outside-range': 'DENIED: the source address is outside the allowed range',
  'diagnosis.why.connected-before-probe': 'Reached the device earlier',
  'diagnosis.why.access-not-connected': 'Reached Napter, but never connected to the device',
  'diagnosis.why.closed': 'The connection ended',
  'diagnosis.why.connected': 'Reached the device (CONNECTED)',
  'diagnosis.why.ended-at-once': 'Ended {seconds} s after connecting: the device side hung up at once',
  'diagnosis.why.connected-normal': 'Reached the device and stayed open {minutes} min: in use',

  'diagnosis.note.retention': 'The audit log keeps only {hours} hours unless the paid audit log option is on: older events may be gone.',
  'diagnosis.note.retention-empty':
    'The audit log keeps events for {hours} hours unless the paid option is on; it may also take a moment for new events to appear.',
  'diagnosis.note.short-duration': 'That remote access lasted only {seconds} seconds: if it was meant in minutes, remember the API’s `duration` is in seconds.',
  'diagnosis.note.older-mappings': '{count} connections belonged to other (earlier) remote accesses and were set aside.',
  'diagnosis.note.scanners': '{attempts} attempts from {addresses} other addresses look like internet scanners, not you; they do not affect the verdict.',
  'diagnosis.note.others-reached-endpoint':
    'Others reached the endpoint ({attempts} attempts, likely scanners), so Napter itself is reachable from the internet.',
  'diagnosis.note.probe-failed': 'SORACOM’s own probe of device port {port} failed: the device side needs checking too.',
  'diagnosis.note.probe-skipped-offline': 'The device port was not tested because the device is offline.',
  'diagnosis.note.probe-skipped-no-port': 'The device port was not tested because the port is not known.',
  'diagnosis.note.probe-skipped-disabled-by-policy': 'The device port was not tested: the policy turns the probe off.',
  'diagnosis.note.probe-skipped-error': 'The device port test could not be run this time.',

  'diagnosis.remedy.reopen': 'Open again',
  'diagnosis.remedy.reopen-tls-off': 'Open again with TLS off',
  'diagnosis.remedy.reopen-port': 'Open again to port {port}',
  'diagnosis.remedy.reopen-source-ip': 'Open again for {address}',
  'diagnosis.remedy.probe': 'Test device port {port}',
  'diagnosis.remedy.packet-capture': 'Start packet capture',
  'diagnosis.remedy.draft-ticket': 'Draft support ticket',
  'diagnosis.verdict.mapping-expired.summary-never-reached':
    'The remote access expired without a single connection from you reaching Napter (no ACCESS while it was open): open it again, and check that your network lets you reach Napter.',
  'diagnosis.verdict.device-side-problem.summary-refused':
    'Device port {port} refuses connections or hangs up before saying anything (SORACOM’s own probe was refused too): nothing serves that port — the service is stopped, listens on another port, or rejects clients.',
  'diagnosis.verdict.device-side-problem.summary-no-answer':
    'Connections to device port {port} got no answer and were closed after about {seconds} s, a connect timeout: a firewall on the device drops them, or the device’s replies leave by Wi-Fi/LAN instead of the cellular line.',
  'diagnosis.verdict.device-side-problem.summary-closed-at-once':
    'Device port {port} accepts connections and closes them at once: the application rejects the client (an allow-list, hosts.deny), is not running behind its port, or TLS does not match on both ends.',
  'diagnosis.verdict.device-side-problem.summary-wrong-service':
    'Something accepts connections on device port {port} but is not the server you expect (it never greeted SORACOM’s probe) and hangs up on your client: the device port is probably wrong.',
  'diagnosis.verdict.device-side-problem.summary-wrong-port':
    'The remote access points at device port {port}, but you meant port {intended}: open it again to port {intended}.',
  'diagnosis.verdict.device-port-closed.summary-no-answer':
    'SORACOM’s own connection to device port {port} got no answer: a firewall on the device drops it, the device routes its replies elsewhere, or nothing serves that port.',
  'diagnosis.verdict.insufficient-evidence.summary-just-opened':
    'Nothing has tried to connect since the remote access was opened {seconds} s ago (new events can take a moment to show): connect now, then Diagnose again.',
  'diagnosis.step.check-service-listening':
    'Check that the service runs and listens on port {port} on all addresses, not only localhost (`ss -ltnp` on Linux, `netstat -ano` on Windows).',
  'diagnosis.step.check-tls-end-to-end':
    'Check that client and device agree on TLS: the TLS option is for a device that serves plain HTTP; a device that serves HTTPS needs it off.',
  'diagnosis.step.connect-now': 'Connect to the endpoint now (the bot sent it to you privately), then press Diagnose again: the bot reads the fresh audit log.',
  'diagnosis.step.expired-without-access':
    'Nothing from you reached Napter while it was open: if you did try, your network (a proxy or firewall) may block the Napter endpoint.',
  'diagnosis.why.ended-after-timeout': 'Ended after {seconds} s without being used: about a connect timeout',
  'diagnosis.note.malformed-events': '{count} audit log entries could not be read and were left out.',
  'diagnosis.note.probe-answered': 'SORACOM’s own probe of device port {port} got an answer from the service there.',
  'diagnosis.note.probe-answered-not-you':
    'SORACOM’s own probe of device port {port} (from a SORACOM address, 100.127.x.x) got an answer, your connections did not: the device answers the platform but not your address — look at firewall rules by source address and at the route back to your address.',
  'diagnosis.note.probe-answered-look-further':
    'SORACOM’s own probe of device port {port} got an answer: the port is served, so look at what treats your connection differently — the service that answers there (the wrong one, or one that rejects the client), a firewall rule or route by source address — or at the client side.',
  'diagnosis.note.probe-inconclusive':
    'SORACOM’s probe of device port {port} got no answer, which proves nothing for a service that waits for its client to speak first.',
  'diagnosis.note.probe-contradicts-sessions':
    'SORACOM’s own probe of device port {port} failed, yet your connections reached the device and were used: your sessions outweigh the probe (the device may not answer SORACOM’s address).',
  'diagnosis.note.probe-confirms': 'SORACOM’s own probe of device port {port} failed as well: the device side is confirmed.',
  'diagnosis.note.session-too-short':
    'Your latest connection lasted {seconds} s: too short to tell real use from a connect timeout (only connections longer than {threshold} s prove the device answered). Connect again and diagnose while it is open.',
  'diagnosis.note.session-still-open':
    'Your latest connection has been open {seconds} s: not yet long enough to tell use from a device that does not answer (over {threshold} s it would be). Diagnose again in a few minutes.',
};

export const diagnosisMessages = {
  en,
  ja: {
    'diagnosis.verdict.sim-not-found.title': 'SIM が見つかりません',
    'diagnosis.verdict.sim-not-found.summary': '指定された SIM が見つからないため、診断できません。',
    'diagnosis.sim-status.active': '使用中',
    'diagnosis.sim-status.inactive': '休止中',
    'diagnosis.sim-status.ready': '準備完了',
    'diagnosis.sim-status.standby': '利用開始待ち',
    'diagnosis.sim-status.suspended': '利用中断中',
    'diagnosis.sim-status.terminated': '解約済み',
    'diagnosis.verdict.sim-inactive.title': 'SIM が使用中ではありません',
    'diagnosis.verdict.sim-inactive.summary':
      'SIM のステータスが「{status}」です。データ通信ができるのは「使用中」または「準備完了」の SIM のみのため、SORACOM Napter からデバイスへ接続できません。',
    'diagnosis.verdict.sim-offline.title': 'デバイスがオフラインです',
    'diagnosis.verdict.sim-offline.summary': 'SIM のセッションがオフラインです。SORACOM Napter はオンラインのデバイスにのみ接続できます。',
    'diagnosis.verdict.no-mapping.title': 'リモートアクセスが有効になっていません',
    'diagnosis.verdict.no-mapping.summary': '対象期間に、この SIM の SORACOM Napter のリモートアクセス (ポートマッピング) がありません。',
    'diagnosis.verdict.mapping-expired.title': 'リモートアクセスの有効期限が切れています',
    'diagnosis.verdict.mapping-expired.summary': '最新の SORACOM Napter のリモートアクセスの有効期限が切れているため、アクセスは拒否されます。',
    'diagnosis.verdict.mapping-expired.summary-deleted': '最新の SORACOM Napter のリモートアクセスは有効期限前に削除されているため、アクセスは拒否されます。',
    'diagnosis.verdict.tls-on-non-tls-protocol.title': 'TLS オプションを利用できないプロトコルにもかかわらず有効にしています',
    'diagnosis.verdict.tls-on-non-tls-protocol.summary':
      'デバイスポート番号 {port} ({protocol}) に TLS オプションが有効になっています。{protocol} は SORACOM Napter の TLS 終端の後ろでは動作しません。TLS オプションを無効にしてください。',
    'diagnosis.verdict.client-network-blocked.title': 'お使いのネットワークが SORACOM Napter へのアクセスを遮断しています',
    'diagnosis.verdict.client-network-blocked.summary':
      'リモートアクセスを有効にしてから {minutes} 分経ちますが、監査ログに ACCESS も DENIED も記録されていません。お使いのネットワークから SORACOM Napter へのアクセスが拒否されていることが考えられます。',
    'diagnosis.verdict.source-ip-mismatch.title': 'アクセス元 IP アドレスが許可されていません',
    'diagnosis.verdict.source-ip-mismatch.summary':
      'アクセス元 IP アドレス制限機能により {addresses} からの {count} 件のアクセスが拒否されています (DENIED)。ご自身のアドレスであれば、そのアドレスでもう一度有効にしてください。',
    'diagnosis.verdict.source-ip-refused.title': 'アクセス元 IP アドレスがブロックされています',
    'diagnosis.verdict.source-ip-refused.summary':
      '連続して DENIED となったため不正なアクセスとみなされ、アクセス元 IP アドレスがブロックされています (REFUSED)。',
    'diagnosis.verdict.device-side-problem.title': 'デバイス側に原因があります',
    'diagnosis.verdict.device-side-problem.summary':
      'デバイスまで到達しています (CONNECTED) が、ポート {port} への接続が利用できません。デバイス側に原因があると考えられます。',
    'diagnosis.verdict.device-port-closed.title': 'デバイスポートが閉じています',
    'diagnosis.verdict.device-port-closed.summary':
      'SORACOM からデバイスポート番号 {port} への接続が拒否されました。そのポートで接続を受け付けるものがありません (サービスが停止している、または別のポートで待ち受けている)。',
    'diagnosis.verdict.healthy.title': 'SORACOM Napter の経路は正常です',
    'diagnosis.verdict.healthy.summary':
      'アクセスはデバイスまで到達し、正常に接続されています。SORACOM Napter に問題は見つかりません。クライアントやアプリケーションを確認してください。',
    'diagnosis.verdict.insufficient-evidence.title': '判断に必要な情報が不足しています',
    'diagnosis.verdict.insufficient-evidence.summary': '監査ログから原因を特定できるだけの情報が得られませんでした。',
    'diagnosis.verdict.insufficient-evidence.summary-empty': '対象期間に、この SIM の監査ログが記録されていません。',

    'diagnosis.cause.mapping-expired': 'SORACOM Napter の有効期限が切れている',
    'diagnosis.cause.client-network-blocked': 'SORACOM Napter へのアクセスを遮断するネットワークを利用している',
    'diagnosis.cause.tls-on-non-tls-protocol': 'TLS オプションを利用できないプロトコル (SSH、RDP、VNC、HTTPS) にもかかわらず有効にしている',
    'diagnosis.cause.wrong-device-port': 'デバイスポート番号が間違っている',
    'diagnosis.cause.device-firewall': 'デバイス側で iptables、Windows Firewall などでブロックしている',
    'diagnosis.cause.source-ip-mismatch': '許可したアクセス元 IP アドレスの範囲外からアクセスしている',
    'diagnosis.cause.source-ip-refused': '連続して DENIED となり、アクセス元 IP アドレスがブロックされている',
    'diagnosis.cause.device-routing-other-interface': 'デバイスのルーティングで Wi-Fi や有線 LAN など他のインターフェースの経路が優先されている',
    'diagnosis.cause.device-application-down': 'デバイスのアプリケーションなどが稼働していない、またはクライアントを拒否している',

    'diagnosis.step.check-sim-ref': '指定した IMSI、SIM ID、または名前 (SIM の `name` タグ) を確認してください。',
    'diagnosis.step.activate-sim': 'SIM のステータスが「{status}」です。SORACOM ユーザーコンソールで SIM を使用開始してから、もう一度お試しください。',
    'diagnosis.step.napter-needs-online':
      'SORACOM Napter を利用するには、デバイスがオンラインである必要があります。デバイスの電源が入り、ネットワークに接続されているか確認してください。',
    'diagnosis.step.attach-device': 'デバイスのアンテナ、APN 設定、電波状況を確認するか、モデムを再起動してから、もう一度診断してください。',
    'diagnosis.step.open-mapping': '`/napter open` でリモートアクセスを有効にしてから接続してください。',
    'diagnosis.step.open-again': 'もう一度リモートアクセスを有効にして、新しいアクセス先に接続してください。',
    'diagnosis.step.default-duration': 'リモートアクセスの有効期限はデフォルトで 30 分 (最大 8 時間) です。長時間利用する場合は期限を長くしてください。',
    'diagnosis.step.api-unit-seconds':
      'SORACOM API (PortMapping:createPortMapping API) でリモートアクセスを作成している場合、duration パラメーターの単位は秒になりますのでご注意ください。',
    'diagnosis.step.reopen-tls-off':
      'TLS オプションを無効にして、もう一度リモートアクセスを有効にしてください。ポート {port} の {protocol} では TLS オプションは無効にします。',
    'diagnosis.step.tls-for-plain-http': 'TLS オプションは HTTP で通信するデバイス向けです。SSH、RDP、すでに HTTPS で通信するデバイスでは無効にしてください。',
    'diagnosis.step.ask-network-admin':
      '企業のネットワークなどから接続する場合、プロキシやファイアウォールなどで制限されていないか、Bot が送ったアクセス先 IP アドレスとポート番号へのアクセスが許可されているかをネットワーク管理者へ確認してください。',
    'diagnosis.step.try-other-network': '切り分けのため、別のネットワーク (スマートフォンのテザリングなど) から一度お試しください。',
    'diagnosis.step.try-now-if-not-yet': 'まだ接続を試していない場合は、いま接続してからもう一度診断してください。',
    'diagnosis.step.stop-retrying': 'そのアドレスからの再試行はやめてください。試行を続けるとブロックが続きます。',
    'diagnosis.step.compare-source-address':
      '根拠に表示されたアクセス元 IP アドレスが、リモートアクセスを有効にしたときに指定したアドレスと合致しているか確認してください。',
    'diagnosis.step.check-global-range': '合致していない場合は、お使いのネットワーク内で利用されるグローバル IP アドレスのレンジを確認してください。',
    'diagnosis.step.confirm-observed-address': '表示されたアドレスがご自身のものであれば、ワンクリックでそのアドレスを許可してもう一度有効にできます。',
    'diagnosis.step.check-device-port':
      'デバイスポート番号が正しいか確認してください。ポート {port} でサービスが待ち受けている必要があります (別のサービスが応答している可能性があります)。',
    'diagnosis.step.check-device-routing': 'デバイスのルーティングで Wi-Fi や有線 LAN など他のインターフェースの経路が優先されていないか確認してください。',
    'diagnosis.step.check-device-firewall':
      'デバイスで iptables、Windows Firewall などでブロックしていないか確認してください (IP アドレスレンジでの制限も含みます)。',
    'diagnosis.step.check-device-application': 'デバイスのアプリケーションなどが稼働していて、クライアントを受け付けているか確認してください。',
    'diagnosis.step.capture-packets':
      '上記について問題ないようであれば、さらなる調査としてデバイスや SORACOM Peek でパケットキャプチャを行い、デバイスからの応答があるか確認してください。',
    'diagnosis.step.open-with-intended-port':
      'リモートアクセスのデバイスポート番号が意図したものと異なります。デバイスポート番号 {port} でもう一度有効にしてください。',
    'diagnosis.step.look-at-client': 'クライアント側 (コマンド、ユーザー名、鍵やパスワード、クライアントのエラーメッセージ) を確認してください。',
    'diagnosis.step.try-now-while-watching': 'いま接続を試してから、もう一度診断してください。Bot が最新の監査ログを確認します。',
    'diagnosis.step.start-peek': 'または、接続を試す間に SORACOM Peek でパケットキャプチャを行い、パケットがデバイスに届いているか確認してください。',
    'diagnosis.step.tcp-only': 'SORACOM Napter では TCP のみ利用できます。UDP、ICMP、ping は利用できません。',

    'diagnosis.why.attempt-without-mapping': 'リモートアクセスがない時点でのアクセス',
    'diagnosis.why.expired': 'EXPIRED: リモートアクセスの有効期限が切れました',
    'diagnosis.why.deleted': 'DELETED: リモートアクセスが有効期限前に削除されました',
    'diagnosis.why.denied-after-end': 'リモートアクセスの終了後に拒否されたアクセス',
    'diagnosis.why.created-with-tls': 'デバイスポート番号 {port} ({protocol}) に TLS オプションを有効にしてリモートアクセスを作成',
    'diagnosis.why.connected-with-tls': '{protocol} で通信するデバイスポート番号 {port} に TLS で接続',
    'diagnosis.why.created-no-access': 'CREATED の後、お使いの環境からの ACCESS がありません',
    'diagnosis.why.denied-before-refused': 'アクセス元 IP アドレス制限機能により拒否 (DENIED)',
    'diagnosis.why.refused': 'REFUSED: 連続した DENIED によりアクセス元 IP アドレスがブロックされました',
    'diagnosis.why.denied-outside-range': 'DENIED: アクセス元 IP アドレスが許可した範囲外です',
    'diagnosis.why.connected-before-probe': '以前はデバイスまで到達していたアクセス',
    'diagnosis.why.access-not-connected': 'SORACOM Napter まで到達しましたが、デバイスに接続されていません',
    'diagnosis.why.closed': '接続が終了しました',
    'diagnosis.why.connected': 'デバイスまで到達 (CONNECTED)',
    'diagnosis.why.ended-at-once': '接続から {seconds} 秒で切断されました (デバイス側がすぐに切断)',
    'diagnosis.why.connected-normal': 'デバイスまで到達し、{minutes} 分間接続が続きました (利用されています)',

    'diagnosis.note.retention':
      'Napter 監査ログは、有料オプションを利用しない場合 {hours} 時間まで保管されます。それより古いイベントは残っていない可能性があります。',
    'diagnosis.note.retention-empty':
      'Napter 監査ログは、有料オプションを利用しない場合 {hours} 時間まで保管されます。また、新しいイベントが記録されるまで少し時間がかかることがあります。',
    'diagnosis.note.short-duration':
      'このリモートアクセスの有効期限は {seconds} 秒でした。分のつもりで指定した場合は、API の duration パラメーターの単位が秒であることにご注意ください。',
    'diagnosis.note.older-mappings': '{count} 件の接続は、ほかの (以前の) リモートアクセスのものとして除外しました。',
    'diagnosis.note.scanners':
      'ほかの {addresses} 個のアドレスからの {attempts} 件のアクセスは、インターネット上のスキャンとみられます。診断結果には影響しません。',
    'diagnosis.note.others-reached-endpoint':
      'ほかのアドレスからのアクセス ({attempts} 件、スキャンとみられます) は届いているため、SORACOM Napter 自体にはインターネットから到達できます。',
    'diagnosis.note.probe-failed': 'SORACOM からデバイスポート番号 {port} への疎通確認が失敗しました。デバイス側の確認も必要です。',
    'diagnosis.note.probe-skipped-offline': 'デバイスがオフラインのため、デバイスポートへの接続確認は行っていません。',
    'diagnosis.note.probe-skipped-no-port': 'デバイスポート番号が分からないため、デバイスポートへの接続確認は行っていません。',
    'diagnosis.note.probe-skipped-disabled-by-policy': 'ポリシーにより、デバイスポートへの接続確認は無効になっています。',
    'diagnosis.note.probe-skipped-error': '今回はデバイスポートへの接続確認を実行できませんでした。',

    'diagnosis.remedy.reopen': 'もう一度有効にする',
    'diagnosis.remedy.reopen-tls-off': 'TLS を無効にしてもう一度有効にする',
    'diagnosis.remedy.reopen-port': 'ポート {port} でもう一度有効にする',
    'diagnosis.remedy.reopen-source-ip': '{address} でもう一度有効にする',
    'diagnosis.remedy.probe': 'デバイスポート {port} を確認する',
    'diagnosis.remedy.packet-capture': 'パケットキャプチャを開始',
    'diagnosis.remedy.draft-ticket': 'サポートチケットの下書きを作成',
    'diagnosis.verdict.mapping-expired.summary-never-reached':
      'リモートアクセスの有効期限が切れましたが、有効な間にお使いの環境からのアクセス (ACCESS) は一度も記録されていません。もう一度有効にし、お使いのネットワークから SORACOM Napter にアクセスできるか確認してください。',
    'diagnosis.verdict.device-side-problem.summary-refused':
      'デバイスポート番号 {port} は接続を拒否するか、何も応答せずに切断しています (SORACOM からの疎通確認も拒否されました)。サービスが停止している、別のポートで待ち受けている、またはクライアントを拒否していることが考えられます。',
    'diagnosis.verdict.device-side-problem.summary-no-answer':
      'デバイスポート番号 {port} への接続に応答がなく、約 {seconds} 秒 (接続のタイムアウト) で切断されています。デバイスの iptables や Windows Firewall などで破棄されているか、デバイスの応答が Wi-Fi や有線 LAN など他のインターフェースから出ていることが考えられます。',
    'diagnosis.verdict.device-side-problem.summary-closed-at-once':
      'デバイスポート番号 {port} は接続を受け付けた直後に切断しています。アプリケーションがクライアントを拒否している (許可リスト、hosts.deny など)、アプリケーションが稼働していない、または TLS の設定が両端で合っていないことが考えられます。',
    'diagnosis.verdict.device-side-problem.summary-wrong-service':
      'デバイスポート番号 {port} では何かが接続を受け付けていますが、想定しているサーバーではありません (SORACOM からの疎通確認に応答しませんでした)。クライアントの接続は切断されています。デバイスポート番号が間違っている可能性があります。',
    'diagnosis.verdict.device-side-problem.summary-wrong-port':
      'リモートアクセスのデバイスポート番号は {port} ですが、意図したポートは {intended} です。デバイスポート番号 {intended} でもう一度有効にしてください。',
    'diagnosis.verdict.device-port-closed.summary-no-answer':
      'SORACOM からデバイスポート番号 {port} への接続に応答がありませんでした。デバイスのファイアウォールで破棄されている、応答が他の経路から出ている、またはそのポートで何も待ち受けていないことが考えられます。',
    'diagnosis.verdict.insufficient-evidence.summary-just-opened':
      'リモートアクセスを有効にしてから {seconds} 秒の間、接続の試行はまだ記録されていません (記録されるまで少し時間がかかることがあります)。いま接続してから、もう一度診断してください。',
    'diagnosis.step.check-service-listening':
      'ポート {port} でサービスが稼働し、localhost だけでなくすべてのアドレスで待ち受けているか確認してください (Linux では `ss -ltnp`、Windows では `netstat -ano`)。',
    'diagnosis.step.check-tls-end-to-end':
      'クライアントとデバイスで TLS の設定が合っているか確認してください。TLS オプションは HTTP で通信するデバイス向けで、HTTPS で通信するデバイスでは無効にします。',
    'diagnosis.step.connect-now': 'いまアクセス先 (Bot から個別に送られたもの) に接続し、もう一度「診断」を押してください。Bot が最新の監査ログを確認します。',
    'diagnosis.step.expired-without-access':
      '有効な間、お使いの環境からのアクセスは SORACOM Napter に届いていません。接続を試した場合は、お使いのネットワーク (プロキシやファイアウォール) でアクセス先が遮断されている可能性があります。',
    'diagnosis.why.ended-after-timeout': '利用されないまま {seconds} 秒で切断されました (接続のタイムアウト程度)',
    'diagnosis.note.malformed-events': '監査ログの {count} 件のエントリーは読み取れなかったため除外しました。',
    'diagnosis.note.probe-answered': 'SORACOM からデバイスポート番号 {port} への疎通確認で、サービスから応答がありました。',
    'diagnosis.note.probe-answered-not-you':
      'SORACOM のアドレス (100.127.x.x) からのデバイスポート番号 {port} への疎通確認には応答がありましたが、お使いの環境からの接続には応答がありません。デバイスがプラットフォームには応答し、お使いのアドレスには応答していないため、アクセス元 IP アドレスによるファイアウォールのルールや、お使いのアドレスへの経路を確認してください。',
    'diagnosis.note.probe-answered-look-further':
      'SORACOM からデバイスポート番号 {port} への疎通確認で応答がありました。ポートではサービスが応答しているため、お使いの環境からの接続だけが扱いを変えられていないか (そのポートで応答しているサービスが別のものでないか、クライアントを拒否していないか、アクセス元 IP アドレスによるファイアウォールのルールや経路) や、クライアント側を確認してください。',
    'diagnosis.note.probe-inconclusive':
      'SORACOM からデバイスポート番号 {port} への疎通確認に応答はありませんでしたが、クライアントから先に話しかけるサービスでは、これだけでは何も分かりません。',
    'diagnosis.note.probe-contradicts-sessions':
      'SORACOM からデバイスポート番号 {port} への疎通確認は失敗しましたが、お使いの環境からの接続はデバイスまで到達し利用されています。接続の記録を優先します (デバイスが SORACOM のアドレスに応答していない可能性があります)。',
    'diagnosis.note.probe-confirms': 'SORACOM からデバイスポート番号 {port} への疎通確認も失敗しました。デバイス側の原因であることが裏付けられています。',
    'diagnosis.note.session-too-short':
      '最新の接続は {seconds} 秒で終わっています。実際の利用か接続のタイムアウトかを区別するには短すぎます ({threshold} 秒を超えた接続だけがデバイスの応答の根拠になります)。もう一度接続し、接続中に診断してください。',
    'diagnosis.note.session-still-open':
      '最新の接続は {seconds} 秒間続いていますが、利用されているのか、デバイスが応答していないのかはまだ区別できません ({threshold} 秒を超えれば区別できます)。数分後にもう一度診断してください。',
  } satisfies Record<keyof typeof en, string>,
};
