/**
 * Texts of the App Home tab. Keys are `home.*`. `{expires}` and `{at}` are times the Slack layer renders;
 * `{user}` a Slack mention; `{endpoint}` shows only on the viewer's own access.
 */
const en = {
  'home.title': 'napter-bot',
  'home.intro': 'Your Napter remote access, at a glance. `/napter help` shows every command.',
  'home.own.header': '*Your active remote access*',
  'home.own.empty': 'You have no active remote access. Turn one on with `/napter open <sim>`.',
  'home.own.row': '*{sim}* · {service} · from {source} · ends {expires}',
  'home.own.endpoint': 'Endpoint `{endpoint}` (only you see it here)',
  'home.diagnoses.header': '*Your recent diagnoses*',
  'home.diagnoses.empty': 'No diagnoses yet. Click Diagnose on an access, or run `/napter diagnose <sim>`.',
  'home.diagnoses.row': '{at} · *{sim}* · {verdict} · in {channel}',
  'home.diagnoses.private': 'sent to you only (napter-bot is not in that channel)',
  'home.admin.header': '*Every active remote access napter-bot turned on* (you are a napter-bot admin)',
  'home.admin.empty': 'Nobody else has active remote access.',
  'home.admin.row': '*{sim}* · {service} · {user} · from {source} · ends {expires} · endpoint hidden',
  'home.more': '…and {count} more. `/napter list` shows them all.',
  'home.updated': 'Updated {at}',
  'home.button.extend': 'Extend',
  'home.diagnose.posted': 'The diagnosis of *{sim}* is posted in {channel}.',
};

export const homeMessages = {
  en,
  ja: {
    'home.title': 'napter-bot',
    'home.intro': 'Napter のリモートアクセスの状況です。コマンドの一覧は `/napter help` で確認できます。',
    'home.own.header': '*あなたの有効なリモートアクセス*',
    'home.own.empty': '有効なリモートアクセスはありません。`/napter open <sim>` でリモートアクセスを有効にできます。',
    'home.own.row': '*{sim}* · {service} · アクセス元 {source} · {expires} まで',
    'home.own.endpoint': '接続先 `{endpoint}`（ここではあなたにだけ表示されます）',
    'home.diagnoses.header': '*あなたの最近の診断*',
    'home.diagnoses.empty': '診断はまだありません。リモートアクセスの「診断」をクリックするか、`/napter diagnose <sim>` を実行してください。',
    'home.diagnoses.row': '{at} · *{sim}* · {verdict} · {channel}',
    'home.diagnoses.private': 'あなたにのみ送信（napter-bot はそのチャンネルに参加していません）',
    'home.admin.header': '*napter-bot が有効にしたすべてのリモートアクセス*（あなたは napter-bot の管理者です）',
    'home.admin.empty': 'ほかに有効なリモートアクセスはありません。',
    'home.admin.row': '*{sim}* · {service} · {user} · アクセス元 {source} · {expires} まで · 接続先は非表示',
    'home.more': 'ほか {count} 件。すべて確認するには `/napter list` を実行してください。',
    'home.updated': '{at} 更新',
    'home.button.extend': '延長',
    'home.diagnose.posted': '*{sim}* の診断結果を {channel} に投稿しました。',
  } satisfies Record<keyof typeof en, string>,
};
