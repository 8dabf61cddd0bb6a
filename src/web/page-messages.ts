import { type Lang, translate } from '../domain/i18n/catalog';

/**
 * The texts of the one-time web page that learns the caller's global IP, beside the page. Keys are `ipPage.*`.
 * The page is plain HTML; every value is escaped by the renderer, so texts are plain text.
 */
const en = {
  'ipPage.title': 'napter-bot: confirm your IP address',
  'ipPage.intro': 'Napter will accept connections only from the address below. Confirm it to open the access you asked for in Slack.',
  'ipPage.seen-label': 'Your global IP address, as the bot sees it',
  'ipPage.echo-label': 'Your global IP address',
  'ipPage.seen-private':
    'The bot sees you as {seenIp}, which is not a global address (the bot runs inside your network). Your browser is asking {echoHost} for your public address.',
  'ipPage.seen-private-no-echo':
    'The bot sees you as {seenIp}, which is not a global address (the bot runs inside your network). Type your global IP address: the one a "what is my IP" page shows.',
  'ipPage.echo-pending': 'Finding your public address…',
  'ipPage.echo-failed': 'Your browser could not reach {echoHost}. Type your global IP address (the one a "what is my IP" page shows).',
  'ipPage.confirm': 'Confirm and open',
  'ipPage.expires': 'This link works once and expires 10 minutes after it was made.',
  'ipPage.refused.title': 'Address refused',
  'ipPage.refused': '{ip} is not a global IP address. Napter accepts global addresses only. Go back and enter the address a "what is my IP" page shows.',
  'ipPage.refused-empty': 'No global IP address was sent. Go back and enter the address a "what is my IP" page shows.',
  'ipPage.unknown.title': 'Link not found',
  'ipPage.unknown': 'This link is not valid. Run the command in Slack again to get a new one. Nothing was opened.',
  'ipPage.expired.title': 'Link expired',
  'ipPage.expired': 'This link expired (links last 10 minutes). Run the command in Slack again to get a new one. Nothing was opened.',
  'ipPage.used.title': 'Link already used',
  'ipPage.used': 'This link was already used. Each link works once; check your Slack messages for the result. Nothing new was opened.',
  'ipPage.done.title': 'Done',
  'ipPage.failed.title': 'Not opened',
  'ipPage.error.title': 'Something went wrong',
  'ipPage.error': 'The bot could not finish this request. Run the command in Slack again; if it keeps failing, tell the bot admin.',
  'ipPage.bad-request.title': 'Bad request',
  'ipPage.bad-request': 'The form could not be read. Open the link from Slack again.',
  'ipPage.back-to-slack': 'You can close this tab and go back to Slack.',
};

export const pageMessages = {
  en,
  ja: {
    'ipPage.title': 'napter-bot: IP アドレスの確認',
    'ipPage.intro': 'Napter は下記のアドレスからの接続のみを受け付けます。確認すると、Slack で依頼したリモートアクセスを開始します。',
    'ipPage.seen-label': 'Bot から見えるあなたのグローバル IP アドレス',
    'ipPage.echo-label': 'あなたのグローバル IP アドレス',
    'ipPage.seen-private':
      'Bot からはあなたのアドレスが {seenIp} と見えていますが、これはグローバル IP アドレスではありません (Bot が社内ネットワーク内で動作しています)。ブラウザーから {echoHost} に問い合わせてグローバル IP アドレスを取得しています。',
    'ipPage.seen-private-no-echo':
      'Bot からはあなたのアドレスが {seenIp} と見えていますが、これはグローバル IP アドレスではありません (Bot が社内ネットワーク内で動作しています)。「IP アドレス確認」ページで表示されるグローバル IP アドレスを入力してください。',
    'ipPage.echo-pending': 'グローバル IP アドレスを取得しています…',
    'ipPage.echo-failed': 'ブラウザーから {echoHost} に接続できませんでした。「IP アドレス確認」ページで表示されるグローバル IP アドレスを入力してください。',
    'ipPage.confirm': '確認してアクセスを開始',
    'ipPage.expires': 'このリンクは 1 回だけ使用でき、作成から 10 分で無効になります。',
    'ipPage.refused.title': 'アドレスを受け付けられません',
    'ipPage.refused':
      '{ip} はグローバル IP アドレスではありません。Napter はグローバル IP アドレスのみを受け付けます。前のページに戻り、「IP アドレス確認」ページで表示されるアドレスを入力してください。',
    'ipPage.refused-empty': 'グローバル IP アドレスが送信されませんでした。前のページに戻り、「IP アドレス確認」ページで表示されるアドレスを入力してください。',
    'ipPage.unknown.title': 'リンクが見つかりません',
    'ipPage.unknown': 'このリンクは無効です。Slack でもう一度コマンドを実行して、新しいリンクを取得してください。何も作成されていません。',
    'ipPage.expired.title': 'リンクの有効期限切れ',
    'ipPage.expired':
      'このリンクは有効期限が切れています (有効期間は 10 分です)。Slack でもう一度コマンドを実行して、新しいリンクを取得してください。何も作成されていません。',
    'ipPage.used.title': 'リンクは使用済みです',
    'ipPage.used':
      'このリンクはすでに使用されています。リンクは 1 回だけ使用できます。結果は Slack のメッセージを確認してください。新たには何も作成されていません。',
    'ipPage.done.title': '完了しました',
    'ipPage.failed.title': 'アクセスを開始できませんでした',
    'ipPage.error.title': 'エラーが発生しました',
    'ipPage.error':
      'Bot はこのリクエストを完了できませんでした。Slack でもう一度コマンドを実行してください。繰り返し失敗する場合は Bot の管理者に連絡してください。',
    'ipPage.bad-request.title': '不正なリクエスト',
    'ipPage.bad-request': 'フォームを読み取れませんでした。Slack からもう一度リンクを開いてください。',
    'ipPage.back-to-slack': 'このタブを閉じて Slack に戻ってください。',
  } satisfies Record<keyof typeof en, string>,
};

export type PageKey = keyof typeof en;

/** A page text in `lang`, its `{name}` placeholders filled in. */
export function pageText(lang: Lang, key: PageKey, params?: Readonly<Record<string, string>>): string {
  return translate(pageMessages, lang, key, params);
}
