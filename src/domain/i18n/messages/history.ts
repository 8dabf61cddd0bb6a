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
  'history.row.denied-action': '{at} · {user} was refused `/napter {action}` on *{sim}* by the policy',
  'history.row.expired': '{at} · the access of {user} to *{sim}* · port {port} expired',
  'history.row.deleted': '{at} · the access of {user} to *{sim}* · port {port} was deleted outside napter-bot',
  'history.connections': 'Napter: {access} reached, {connected} connected',
  'history.empty': 'Nothing in the history for this period.',
  'history.hidden': '{count} entries on SIMs you may not see are left out.',
  'history.truncated': 'Only the latest {count} are shown: export the CSV for all of them.',
  'history.export': 'Export CSV',
  'history.counts.past-retention': "Napter: no counts (older than the audit log's 24 hours)",
  'history.counts.rate-limited': 'Napter: no counts right now (SORACOM asked the bot to slow down; try again in a minute)',
  'history.counts.unavailable': 'Napter: no counts (the audit log could not be read)',
  'history.counts.not-read': 'Napter: no counts (too many SIMs at once; name one SIM to see them)',
  'history.export.done': 'The history since {since} is in your direct messages with napter-bot as a CSV file ({count} row(s)).',
  'history.export.stale': 'This export is no longer available. Run `/napter history` again.',
  'history.export.title': 'napter-bot history',
  'history.export.failed': 'The CSV file could not be uploaded ({reason}). Try again in a moment.',
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
    'history.row.denied-action': '{at} · {user} さんによる *{sim}* への `/napter {action}` はポリシーにより拒否されました',
    'history.row.expired': '{at} · {user} さんの *{sim}* · ポート {port} へのアクセスが期限切れで終了しました',
    'history.row.deleted': '{at} · {user} さんの *{sim}* · ポート {port} へのアクセスが napter-bot 以外で削除されました',
    'history.connections': 'Napter: 到達 {access} 件、接続 {connected} 件',
    'history.empty': 'この期間の履歴はありません。',
    'history.hidden': '閲覧が許可されていない SIM の {count} 件は表示していません。',
    'history.truncated': '最新の {count} 件のみ表示しています。すべて確認するには CSV を書き出してください。',
    'history.export': 'CSV を書き出す',
    'history.counts.past-retention': 'Napter: 件数なし（監査ログの保存期間 24 時間より前です）',
    'history.counts.rate-limited': 'Napter: 件数を今は取得できません（SORACOM から待つよう求められました。1 分ほどしてからもう一度お試しください）',
    'history.counts.unavailable': 'Napter: 件数なし（監査ログを読み取れませんでした）',
    'history.counts.not-read': 'Napter: 件数なし（一度に対象の SIM が多すぎます。SIM を 1 つ指定すると表示されます）',
    'history.export.done': '{since} 以降の履歴を CSV ファイル（{count} 行）として napter-bot とのダイレクトメッセージに送りました。',
    'history.export.stale': 'この書き出しは利用できなくなりました。もう一度 `/napter history` を実行してください。',
    'history.export.title': 'napter-bot の履歴',
    'history.export.failed': 'CSV ファイルをアップロードできませんでした（{reason}）。少し待ってからもう一度お試しください。',
  } satisfies Record<keyof typeof en, string>,
};
