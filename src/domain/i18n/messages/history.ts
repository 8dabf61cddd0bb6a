/**
 * Texts of `/napter history`. Keys are `history.*`: `row.*` (one sentence per kind of ledger row; an ended
 * mapping says how), `connections`, and the lines around the list. `{at}` and `{since}` are times the Slack
 * layer renders; `{user}` a Slack mention; `{source}` the source range (private to the viewer).
 */
const en = {
  'history.title': 'Napter history since {since}',
  'history.row.open': '{at} · {user} opened *{sim}* · port {port} from {source}',
  'history.row.reuse': '{at} · {user} reused the access to *{sim}* · port {port} from {source}',
  'history.row.extend': '{at} · {user} extended *{sim}* · port {port} from {source}',
  'history.row.close': '{at} · {user} closed *{sim}* · port {port}',
  'history.row.denied': '{at} · {user} was refused *{sim}* · port {port} from {source} by the policy',
  'history.row.expired': '{at} · the access of {user} to *{sim}* · port {port} expired',
  'history.row.deleted': '{at} · the access of {user} to *{sim}* · port {port} was deleted outside napter-bot',
  'history.connections': 'Napter: {access} reached, {connected} connected',
  'history.empty': 'Nothing in the history for this period.',
  'history.hidden': '{count} entries on SIMs you may not see are left out.',
  'history.truncated': 'Only the latest {count} are shown: export the CSV for all of them.',
  'history.export': 'Export CSV',
};

export const historyMessages = {
  en,
  ja: {
    'history.title': '{since} 以降の Napter の履歴',
    'history.row.open': '{at} · {user} さんが *{sim}* · ポート {port} をアクセス元 {source} で有効にしました',
    'history.row.reuse': '{at} · {user} さんが *{sim}* · ポート {port} へのアクセス（アクセス元 {source}）を再利用しました',
    'history.row.extend': '{at} · {user} さんが *{sim}* · ポート {port}（アクセス元 {source}）を延長しました',
    'history.row.close': '{at} · {user} さんが *{sim}* · ポート {port} を無効にしました',
    'history.row.denied': '{at} · {user} さんによる *{sim}* · ポート {port}（アクセス元 {source}）の有効化はポリシーにより拒否されました',
    'history.row.expired': '{at} · {user} さんの *{sim}* · ポート {port} へのアクセスが期限切れで終了しました',
    'history.row.deleted': '{at} · {user} さんの *{sim}* · ポート {port} へのアクセスが napter-bot 以外で削除されました',
    'history.connections': 'Napter: 到達 {access} 件、接続 {connected} 件',
    'history.empty': 'この期間の履歴はありません。',
    'history.hidden': '閲覧が許可されていない SIM の {count} 件は表示していません。',
    'history.truncated': '最新の {count} 件のみ表示しています。すべて確認するには CSV を書き出してください。',
    'history.export': 'CSV を書き出す',
  } satisfies Record<keyof typeof en, string>,
};
