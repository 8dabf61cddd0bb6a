/**
 * Texts of watching a mapping after the open. Keys are `watch.*`: `change.*` (what the audit
 * log showed, told privately to the requester), `end.*` (how a mapping ended), `summary.*` (the channel card,
 * addresses masked by the caller), `reminder`, `extend.*`. `{at}` and `{until}` are times the Slack layer
 * renders with Slack's date token; `{left}`, `{added}`, `{extension}` and `{max}` are durations.
 */
const en = {
  'watch.change.reached': 'A connection reached Napter ({count}); what Napter did with it is not in the audit log yet.',
  'watch.change.connected': 'Napter forwarded connections to the device: {count} new, from {sources}.',
  'watch.change.denied.known':
    'Napter denied {ip}, the address you confirmed last time: it is outside this mapping’s source range (attempts: {attempts}). Open again for that address?',
  'watch.change.denied.likely':
    'Napter denied {ip}: it is outside this mapping’s source range (attempts: {attempts}). If that address is yours, open again for it.',
  'watch.change.denied.unlikely':
    'Napter denied {ip}, outside this mapping’s source range (attempts: {attempts}). A lone attempt like this is usually an internet scanner.',
  'watch.change.refused':
    'Napter refused {ip} after repeated attempts and blocks it for a while (attempts: {attempts}). Stop retrying from it; if it is yours, open again for that address.',
  'watch.change.closed': 'Connections closed: {count}.',
  'watch.change.closed.at-once':
    '{count} of them ended at once after Napter forwarded them: the device, or what listens on the port, hung up. Diagnose to find out why.',
  'watch.change.closed.without-connect': '{count} of them were never forwarded to the device (no CONNECTED in the audit log): check that the device is online.',
  'watch.change.ambiguous': 'Another watched mapping to the same device port could be the one concerned.',

  'watch.end.expired': 'This remote access expired {at}.',
  'watch.end.deleted': 'This remote access was deleted outside napter-bot (the User Console or another tool), {at}.',
  'watch.end.closed': 'This remote access was closed {at}.',
  'watch.end.already': 'This remote access had already ended {at}: there was nothing left to close.',

  'watch.summary.counts': 'Napter so far: {access} reached · {connected} connected · {denied} denied · {refused} refused',
  'watch.summary.denied-sources': 'Denied: {sources}',
  'watch.summary.refused-sources': 'Blocked: {sources}',
  'watch.summary.other-sources': 'and {count} other addresses',
  'watch.summary.quiet': 'Nothing in the audit log yet: nobody has tried to connect.',

  'watch.reminder': 'Remote access to *{sim}* · {service} ends {at}, in {left}. Extend it by {extension}, or close it now.',
  'watch.extend.done': 'Extended until {until} ({added} more). The new endpoint is below; the old one closes now.',
  'watch.extend.done.policy': 'Extended only until {until} ({added} more): the policy allows at most {max} of access in one go.',
  'watch.extend.done.napter': 'Extended only until {until} ({added} more): a Napter mapping lasts at most 8 hours.',
  'watch.extend.refused.ended': 'This remote access has already ended, so there is nothing to extend: open it again instead.',
  'watch.extend.refused.policy-limit':
    'This access has lasted as long as the policy allows ({max}), so it cannot be extended; it ends {at}. To go on, open it again: the policy decides afresh.',
  'watch.extend.refused.napter-limit': 'This access already ends about 8 hours from now, the longest a Napter mapping lasts: it cannot be extended further.',
  'watch.extend.not-yours': 'Only the person who opened this remote access can extend it. Open it for yourself instead.',
  'watch.extend.failed': 'Extend failed: the new remote access could not be created ({reason}). The current one is untouched and still ends {at}.',
  'watch.extend.finished-after-restart': 'Your Extend was finished after the bot restarted: the new endpoint is below, and the old one is closed now.',
};

export const watchMessages = {
  en,
  ja: {
    'watch.change.reached': 'Napter に接続が届きました（{count} 件）。Napter の判定はまだ監査ログに記録されていません。',
    'watch.change.connected': 'Napter がデバイスへ接続を転送しました（新たに {count} 件、接続元 {sources}）。',
    'watch.change.denied.known':
      'Napter が {ip}（前回確認したご自身のアドレス）からの接続を拒否しました。このポートマッピングのアクセス元の範囲外です（{attempts} 回）。このアドレスで再度有効にしますか？',
    'watch.change.denied.likely':
      'Napter が {ip} からの接続を拒否しました。このポートマッピングのアクセス元の範囲外です（{attempts} 回）。ご自身のアドレスであれば、このアドレスで再度有効にしてください。',
    'watch.change.denied.unlikely':
      'Napter が {ip} からの接続を拒否しました。このポートマッピングのアクセス元の範囲外です（{attempts} 回）。このような単発のアクセスは、通常インターネット上のスキャンです。',
    'watch.change.refused':
      'Napter が繰り返しのアクセスを受けて {ip} を拒否し、しばらくブロックしています（{attempts} 回）。このアドレスからの再試行をやめてください。ご自身のアドレスであれば、このアドレスで再度有効にしてください。',
    'watch.change.closed': '接続が終了しました（{count} 件）。',
    'watch.change.closed.at-once':
      'そのうち {count} 件は、Napter が転送した直後に終了しました。デバイス、またはそのポートで待ち受けるサービスが切断しています。原因は診断で確認できます。',
    'watch.change.closed.without-connect':
      'そのうち {count} 件はデバイスへ転送されませんでした（監査ログに CONNECTED がありません）。デバイスがオンラインかご確認ください。',
    'watch.change.ambiguous': '同じデバイスポートへの、監視中の別のポートマッピングに関するものである可能性もあります。',

    'watch.end.expired': 'このリモートアクセスの有効期限が切れました（{at}）。',
    'watch.end.deleted': 'このリモートアクセスは napter-bot 以外（ユーザーコンソールや他のツール）で削除されました（{at}）。',
    'watch.end.closed': 'このリモートアクセスを無効にしました（{at}）。',
    'watch.end.already': 'このリモートアクセスはすでに終了していました（{at}）。無効にするものはありません。',

    'watch.summary.counts': 'これまでの Napter: 到達 {access} 件 · 接続 {connected} 件 · 拒否 {denied} 件 · ブロック {refused} 件',
    'watch.summary.denied-sources': '拒否: {sources}',
    'watch.summary.refused-sources': 'ブロック: {sources}',
    'watch.summary.other-sources': 'ほか {count} 件のアドレス',
    'watch.summary.quiet': '監査ログにはまだ何も記録されていません。接続はまだ試されていません。',

    'watch.reminder': '*{sim}* · {service} へのリモートアクセスは {at}（あと {left}）に終了します。{extension} 延長するか、今すぐ無効にできます。',
    'watch.extend.done': '{until} まで延長しました（{added} 延長）。新しいエンドポイントは下記のとおりです。以前のものはこれから無効にします。',
    'watch.extend.finished-after-restart': 'Bot の再起動後に延長を完了しました。新しいエンドポイントは下記のとおりです。以前のものは無効にしました。',
    'watch.extend.done.policy': '{until} までの延長にとどめました（{added} 延長）。ポリシーで許可される 1 回のアクセスは最長 {max} です。',
    'watch.extend.done.napter': '{until} までの延長にとどめました（{added} 延長）。Napter のポートマッピングの有効期間は最大 8 時間です。',
    'watch.extend.refused.ended': 'このリモートアクセスはすでに終了しているため延長できません。再度有効にしてください。',
    'watch.extend.refused.policy-limit':
      'このアクセスはポリシーで許可される最長の時間（{max}）に達しているため延長できません。{at} に終了します。続けるには再度有効にしてください。改めてポリシーで判定します。',
    'watch.extend.refused.napter-limit': 'このアクセスはすでに約 8 時間後（Napter のポートマッピングの最長）まで有効なため、これ以上延長できません。',
    'watch.extend.not-yours': 'このリモートアクセスを延長できるのは、有効にした本人だけです。ご自身で有効にしてください。',
    'watch.extend.failed':
      '延長に失敗しました。新しいリモートアクセスを作成できませんでした（{reason}）。現在のリモートアクセスはそのままで、{at} に終了します。',
  } satisfies Record<keyof typeof en, string>,
};
