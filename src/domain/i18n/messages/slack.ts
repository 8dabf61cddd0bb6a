/**
 * Texts of the slack area: `/napter` replies, the open flow, the channel card, list/close, help. Keys are
 * `slack.*`. The channel card's texts never take the endpoint as a parameter: only the requester's reply does.
 */
const en = {
  'slack.progress.reading-sim': 'Reading SIM `{sim}`…',
  'slack.progress.reading-mappings': 'Reading the port mappings…',
  'slack.progress.opening': 'Opening Napter to {sim}…',
  'slack.progress.soracom-waiting': 'SORACOM is rate-limiting the bot: it waits {seconds} s as SORACOM asks, then carries on. Nothing to do on your side.',

  'slack.button.diagnose': 'Diagnose',
  'slack.button.close-now': 'Close now',
  'slack.button.open-again': 'Open again',
  'slack.button.extend': 'Extend',
  'slack.button.open-ip-page': 'Confirm my IP address',
  'slack.button.stale':
    'This button no longer points at a mapping the bot knows (it may be from before a reset, or altered). Run `/napter list` to see the current ones.',

  'slack.open.created': 'Napter is open to *{sim}* · {service} for {duration}.',
  'slack.open.reused': 'An open mapping to *{sim}* · {service} already admits your address, so no new one was created.',
  'slack.open.endpoint': '*Endpoint:* `{endpoint}`',
  'slack.open.expires': '*Expires:* {expires}',
  'slack.open.source': '*Allowed from:* `{source}`',
  'slack.open.tls-on': '*TLS:* on (Napter terminates TLS; the device speaks plain TCP)',
  'slack.open.command': '*Connect with:*',
  'slack.open.ssh-user-hint': 'Replace `&lt;user&gt;` with the login on the device. A SIM tag `ssh_user` fills it in for you next time.',
  'slack.open.private-note':
    'Only you can see the endpoint. SORACOM asks that the issued address, port and hostname are not published; the channel sees a masked card.',
  'slack.open.no-last-ip':
    'You have no confirmed IP address yet. Use `from me` once (the default): the bot sends you a link that confirms your address, and `from last` works after that.',
  'slack.open.in-progress': 'The same mapping is being opened by an earlier request; its result appears there.',
  'slack.open.outcome-unknown':
    "SORACOM did not confirm whether it created the mapping (its answer was lost). The bot is checking SORACOM's list, will not create a second one, and tells you here.",
  'slack.open.not-created': 'SORACOM did not create the mapping: nothing is open. Run the command again.',
  'slack.open.unresolved':
    'SORACOM could not be reached to check whether it created the mapping. The bot will not create another for this request; check `/napter list` in a few minutes.',
  'slack.recovery.open-interrupted': 'The bot restarted before it finished opening *{sim}* · {service}. Nothing was created on SORACOM: run the command again.',
  'slack.recovery.capture-reopened':
    'The bot restarted before it finished opening *{sim}* · {service}. Nothing was created on SORACOM, and your one-time link works again until {expires}: reload the page you opened and confirm once more.',

  'slack.card.open': '{user} opened Napter to *{sim}* · {service} for {duration} (until {expires}).',
  'slack.card.open.fallback': 'Napter opened to {sim}, {service}, for {duration}',
  'slack.card.closed': '~Napter to *{sim}* · {service}~ closed by {closedBy} {at} (opened by {user}).',
  'slack.card.closed.fallback': 'Napter mapping to {sim}, {service}, closed',
  'slack.card.masked': 'Endpoint `•••.•••.•••.•••:•••••`, sent to {user} only.',
  'slack.card.ended': '~Napter to *{sim}* · {service}~ (opened by {user}) has ended.',
  'slack.card.ended.fallback': 'Napter mapping to {sim}, {service}, ended',
  'slack.watch.notice': 'Remote access to *{sim}* · {service} (until {expires}):',
  'slack.card.not-in-channel':
    'The bot is not in this channel, so the channel did not get the usual card. Run `/invite @napter` here to let it post there. Your result is here all the same.',
  'slack.card.channel-not-found':
    'The bot cannot see this conversation (a private channel or DM it is not in), so no card was posted. Run `/invite @napter` in a channel to use it there. Your result is here all the same.',
  'slack.card.not-posted': 'The channel card could not be posted ({reason}). Your result is here all the same.',

  'slack.capture.prompt':
    'To open *{sim}* · {service} for {duration}, confirm the global IP address you connect from: open {link} in the browser you will connect from. The link works once, until {expires}.',
  'slack.capture.link': 'your one-time link',
  'slack.capture.note': 'The page shows the address it sees and a Confirm button. The link is yours only: do not share it.',
  'slack.capture.page-done': 'Confirmed {ip}. Napter is open; the endpoint is in Slack.',
  'slack.capture.page-stale': 'This request can no longer be completed. Run the /napter open command again.',
  'slack.capture.page-unknown': 'Confirmed {ip}. SORACOM did not confirm whether it opened Napter; the bot is checking and tells you in Slack.',

  'slack.list.empty': 'No active Napter mappings.',
  'slack.list.empty-sim': 'No active Napter mappings for *{sim}*.',
  'slack.list.header': '*{count} active Napter mapping(s)*',
  'slack.list.header-sim': '*{count} active Napter mapping(s) for {sim}*',
  'slack.list.row': '• *{sim}* · {service}{tls} · until {expires} · opened by {openedBy}\n    endpoint {endpoint} · from {source}',
  'slack.list.endpoint-hidden': '(hidden: not yours)',
  'slack.list.source-hidden': '(hidden)',
  'slack.list.opened-outside': 'someone outside the bot',
  'slack.list.tls-on': ' · TLS',
  'slack.list.more': '…and {count} more. Use `/napter list <sim>` to narrow it down.',
  'slack.list.hidden': '{count} more on SIMs the access policy does not let you list.',

  'slack.close.nothing': 'No active Napter mapping matches {target}.',
  'slack.close.header': 'Closing Napter mappings for {target}:',
  'slack.close.closed-line': '• {sim} · {service}: closed',
  'slack.close.already-closed-line': '• {sim} · {service}: already closed by {user}',
  'slack.close.in-progress-line': '• {sim} · {service}: being closed by another request',
  'slack.close.some-denied': '{count} mapping(s) left open: {reason}',
  'slack.close.done': 'Closed Napter to {sim} · {service}.',
  'slack.close.already-closed': 'Napter to {sim} · {service} was already closed by {user}.',
  'slack.close.in-progress': 'Napter to {sim} · {service} is being closed already.',

  'slack.sim.not-found': "No SIM matches `{sim}`. Check the IMSI (15 digits), the SIM ID, or the SIM's name tag in the SORACOM console.",
  'slack.sim.ambiguous': '{count} SIMs match “{sim}”. Which one did you mean?',
  'slack.sim.candidate': '• *{name}* · IMSI `{imsi}` · SIM ID `{simId}` · {status} · {online}',
  'slack.sim.online': 'online',
  'slack.sim.offline': 'offline',
  'slack.sim.ambiguous-hint': 'Run `/napter {subcommand}` again with the IMSI or SIM ID of one of them.',
  'slack.sim.gone': 'SIM `{simId}` is no longer visible to the bot (terminated, or moved to another operator).',

  'slack.usage.right-form': 'The right form:',
  'slack.usage.more': '`/napter help` shows every command.',

  'slack.help.title': '/napter: SORACOM Napter from Slack',
  'slack.help.footer': 'The endpoint is sent only to you; the channel sees a masked card.',
  'slack.error.code': 'Error code for your admin: `{code}`',
  'slack.error.soracom-auth': "SORACOM refused the bot's credentials. Ask the bot admin to check its AuthKey and SAM permissions.",
  'slack.error.soracom-rate-limited': 'SORACOM is rate-limiting the bot right now. Try again in a minute.',
  'slack.error.soracom-unreachable': 'SORACOM did not answer in time. Try again in a minute.',
  'slack.error.soracom-outcome-unknown': 'SORACOM may or may not have done it (its answer was lost). Run `/napter list` before trying again.',
  'slack.error.soracom-refused': 'SORACOM refused the request.',
  'slack.error.soracom-unavailable': 'SORACOM is unavailable right now (it answered HTTP {status}). Nothing was changed; try again in a minute.',
  'slack.error.soracom-unexpected': 'SORACOM answered with something the bot did not expect.',
  'slack.error.slack-api': 'Slack refused a call from the bot ({error}).',
  'slack.error.slack-unavailable': "Slack did not take the bot's message just now (it is down or rate-limiting the bot). Try again in a minute.",
  'slack.error.unexpected': 'Something went wrong inside the bot.',
  'slack.error.restarting': 'The bot is restarting and did not get to this command. Run it again in a minute.',

  'slack.diagnose.unavailable': 'Diagnosis is not available in this build.',
};

export const slackMessages = {
  en,
  ja: {
    'slack.progress.reading-sim': 'SIM `{sim}` の情報を取得しています…',
    'slack.progress.reading-mappings': 'ポートマッピングを取得しています…',
    'slack.progress.opening': '{sim} への Napter のオンデマンドリモートアクセスを作成しています…',
    'slack.progress.soracom-waiting': 'SORACOM のレート制限により、SORACOM の指示どおり {seconds} 秒待ってから処理を続けます。操作は不要です。',

    'slack.button.diagnose': '診断',
    'slack.button.close-now': '今すぐ削除',
    'slack.button.open-again': 'もう一度有効にする',
    'slack.button.extend': '延長する',
    'slack.button.open-ip-page': 'IP アドレスを確認する',
    'slack.button.stale':
      'このボタンは Bot が把握しているポートマッピングを指していません（リセット前のもの、または改変されたものの可能性があります）。`/napter list` で現在のものを確認してください。',

    'slack.open.created': '*{sim}* · {service} への Napter を {duration} 有効にしました。',
    'slack.open.reused': '*{sim}* · {service} への有効なポートマッピングがすでにあなたのアドレスを許可しているため、新しくは作成していません。',
    'slack.open.endpoint': '*接続先:* `{endpoint}`',
    'slack.open.expires': '*有効期限:* {expires}',
    'slack.open.source': '*接続元:* `{source}`',
    'slack.open.tls-on': '*TLS:* 有効（Napter が TLS を終端し、デバイスとは平文の TCP で通信します）',
    'slack.open.command': '*接続コマンド:*',
    'slack.open.ssh-user-hint': '`&lt;user&gt;` をデバイスのログインユーザー名に置き換えてください。SIM に `ssh_user` タグを付けると次回から自動で入ります。',
    'slack.open.private-note':
      '接続先はあなたにだけ表示されています。SORACOM は払い出された IP アドレス・ポート番号・ホスト名を公開しないよう求めています。チャンネルには伏せ字のカードが表示されます。',
    'slack.open.no-last-ip':
      '確認済みの IP アドレスがまだありません。一度 `from me`（既定）を使ってください。Bot が送るリンクでアドレスを確認すると、以後 `from last` が使えます。',
    'slack.open.in-progress': '同じポートマッピングを先のリクエストが作成中です。結果はそちらに表示されます。',
    'slack.open.outcome-unknown':
      'SORACOM からポートマッピングを作成したかどうかの応答がありませんでした（応答が失われました）。Bot が SORACOM の一覧を確認しています。2 つ目は作成せず、結果はここでお知らせします。',
    'slack.open.not-created': 'SORACOM はポートマッピングを作成しませんでした。リモートアクセスは有効になっていません。もう一度コマンドを実行してください。',
    'slack.open.unresolved':
      'SORACOM に接続できず、ポートマッピングが作成されたかどうか確認できませんでした。このリクエストで別のマッピングは作成しません。数分後に `/napter list` で確認してください。',
    'slack.recovery.open-interrupted':
      '*{sim}* · {service} へのアクセスの作成中に Bot が再起動しました。SORACOM には何も作成されていません。もう一度コマンドを実行してください。',
    'slack.recovery.capture-reopened':
      '*{sim}* · {service} へのアクセスの作成中に Bot が再起動しました。SORACOM には何も作成されていません。ワンタイムリンクは {expires} まで再び使えます。開いたページを再読み込みして、もう一度確認してください。',

    'slack.card.open': '{user} さんが *{sim}* · {service} への Napter を {duration} 有効にしました（{expires} まで）。',
    'slack.card.open.fallback': '{sim}（{service}）への Napter が {duration} 有効になりました',
    'slack.card.closed': '~*{sim}* · {service} へのリモートアクセス~ は {closedBy} さんが {at} に削除しました（作成: {user} さん）。',
    'slack.card.closed.fallback': '{sim}（{service}）へのリモートアクセスは削除されました',
    'slack.card.masked': '接続先 `•••.•••.•••.•••:•••••` は {user} さんにだけ送信しました。',
    'slack.card.ended': '~*{sim}* · {service} へのリモートアクセス~（作成: {user} さん）は終了しました。',
    'slack.card.ended.fallback': '{sim}（{service}）へのリモートアクセスは終了しました',
    'slack.watch.notice': '*{sim}* · {service} へのリモートアクセス（{expires} まで）:',
    'slack.card.not-in-channel':
      'Bot がこのチャンネルに参加していないため、チャンネルにカードを投稿できませんでした。このチャンネルで `/invite @napter` を実行すると投稿できるようになります。結果はこのメッセージでお知らせしています。',
    'slack.card.channel-not-found':
      'Bot はこの会話（参加していないプライベートチャンネルまたは DM）を参照できないため、カードを投稿できませんでした。チャンネルで使うには `/invite @napter` を実行してください。結果はこのメッセージでお知らせしています。',
    'slack.card.not-posted': 'チャンネルにカードを投稿できませんでした（{reason}）。結果はこのメッセージでお知らせしています。',

    'slack.capture.prompt':
      '*{sim}* · {service} へのリモートアクセスを {duration} 有効にするために、アクセス元のグローバル IP アドレスを確認します。接続に使うブラウザーで {link} を開いてください。リンクは 1 回限り、{expires} まで有効です。',
    'slack.capture.link': 'ワンタイムリンク',
    'slack.capture.note': 'ページには認識されたアドレスと確認ボタンが表示されます。このリンクはあなた専用です。共有しないでください。',
    'slack.capture.page-done': '{ip} を確認しました。Napter を有効にしました。接続先は Slack に表示しています。',
    'slack.capture.page-stale': 'このリクエストはもう完了できません。/napter open をもう一度実行してください。',
    'slack.capture.page-unknown':
      '{ip} を確認しました。SORACOM から Napter を有効にしたかどうかの応答がありませんでした。Bot が確認し、結果を Slack でお知らせします。',

    'slack.list.empty': '有効な Napter のポートマッピングはありません。',
    'slack.list.empty-sim': '*{sim}* への有効な Napter のポートマッピングはありません。',
    'slack.list.header': '*有効な Napter のポートマッピング: {count} 件*',
    'slack.list.header-sim': '*{sim} への有効な Napter のポートマッピング: {count} 件*',
    'slack.list.row': '• *{sim}* · {service}{tls} · {expires} まで · 作成: {openedBy}\n    接続先 {endpoint} · 接続元 {source}',
    'slack.list.endpoint-hidden': '（非表示: ご自身のものではありません）',
    'slack.list.source-hidden': '（非表示）',
    'slack.list.opened-outside': 'Bot 以外から作成',
    'slack.list.tls-on': ' · TLS',
    'slack.list.more': '…ほか {count} 件。`/napter list <sim>` で絞り込めます。',
    'slack.list.hidden': 'ほかに {count} 件ありますが、アクセスポリシーにより一覧表示できない SIM のため表示していません。',

    'slack.close.nothing': '{target} に該当する有効な Napter のポートマッピングはありません。',
    'slack.close.header': '{target} のリモートアクセスを削除します:',
    'slack.close.closed-line': '• {sim} · {service}: 削除しました',
    'slack.close.already-closed-line': '• {sim} · {service}: {user} さんがすでに削除しています',
    'slack.close.in-progress-line': '• {sim} · {service}: 別のリクエストが削除中です',
    'slack.close.some-denied': '{count} 件は削除していません: {reason}',
    'slack.close.done': '{sim} · {service} へのリモートアクセスを削除しました。',
    'slack.close.already-closed': '{sim} · {service} へのリモートアクセスは {user} さんがすでに削除しています。',
    'slack.close.in-progress': '{sim} · {service} へのリモートアクセスはすでに削除中です。',

    'slack.sim.not-found': '`{sim}` に該当する SIM はありません。IMSI（15 桁）、SIM ID、または SIM の名前タグを SORACOM ユーザーコンソールで確認してください。',
    'slack.sim.ambiguous': '「{sim}」に該当する SIM が {count} 件あります。どの SIM ですか？',
    'slack.sim.candidate': '• *{name}* · IMSI `{imsi}` · SIM ID `{simId}` · {status} · {online}',
    'slack.sim.online': 'オンライン',
    'slack.sim.offline': 'オフライン',
    'slack.sim.ambiguous-hint': 'いずれかの IMSI または SIM ID を指定して `/napter {subcommand}` をもう一度実行してください。',
    'slack.sim.gone': 'SIM `{simId}` は Bot から参照できなくなりました（解約済み、または別のオペレーターへ移動）。',

    'slack.usage.right-form': '正しい形式:',
    'slack.usage.more': '`/napter help` ですべてのコマンドを確認できます。',

    'slack.help.title': '/napter: Slack から SORACOM Napter を使う',
    'slack.help.footer': '接続先はあなたにだけ送信され、チャンネルには伏せ字のカードが表示されます。',
    'slack.error.code': '管理者向けエラーコード: `{code}`',
    'slack.error.soracom-auth': 'SORACOM が Bot の認証情報を拒否しました。Bot の管理者に AuthKey と SAM ユーザーの権限の確認を依頼してください。',
    'slack.error.soracom-rate-limited': 'SORACOM のレート制限に達しています。1 分ほど待ってからもう一度お試しください。',
    'slack.error.soracom-unreachable': 'SORACOM から時間内に応答がありませんでした。1 分ほど待ってからもう一度お試しください。',
    'slack.error.soracom-outcome-unknown':
      'SORACOM で処理が完了したかどうか分かりません（応答が失われました）。もう一度試す前に `/napter list` で確認してください。',
    'slack.error.soracom-refused': 'SORACOM がリクエストを拒否しました。',
    'slack.error.soracom-unavailable': 'SORACOM が現在利用できません（HTTP {status} の応答）。何も変更していません。1 分ほど待ってから再度お試しください。',
    'slack.error.soracom-unexpected': 'SORACOM から想定外の応答がありました。',
    'slack.error.slack-api': 'Slack が Bot の API 呼び出しを拒否しました（{error}）。',
    'slack.error.slack-unavailable': 'Slack が Bot のメッセージを受け付けませんでした（障害中か、レート制限中です）。1 分ほど待ってから再度お試しください。',
    'slack.error.unexpected': 'Bot の内部でエラーが発生しました。',
    'slack.error.restarting': 'Bot の再起動中のため、このコマンドは実行されませんでした。1 分ほど待ってから再度実行してください。',

    'slack.diagnose.unavailable': 'このビルドでは診断を利用できません。',
  } satisfies Record<keyof typeof en, string>,
};
