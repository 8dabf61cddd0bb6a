import type { MessageArea } from '../catalog';

/**
 * Texts of the ticket area (the support-ticket draft, plain text, no Slack markup). Keys are `ticket.*`.
 * The sections follow the list at the end of SORACOM's Napter troubleshooting guide, in its order.
 */
export const ticketMessages: MessageArea = {
  en: {
    'ticket.title': 'SORACOM Napter: support request (draft prepared by napter-bot)',
    'ticket.intro':
      'Check this draft, fill in the marked blanks, and paste it into a SORACOM support ticket. The bot cannot file the ticket for you.',
    'ticket.blank': '[please fill in]',
    'ticket.on': 'on',
    'ticket.off': 'off',

    'ticket.section.imsi': '1. IMSI of the SIM',
    'ticket.field.imsi': 'IMSI',
    'ticket.field.sim-id': 'SIM ID',
    'ticket.field.sim-name': 'SIM name',

    'ticket.section.device': '2. Device in use (maker, model, product name)',
    'ticket.field.maker': 'Maker',
    'ticket.field.model': 'Model',
    'ticket.field.product-name': 'Product name',

    'ticket.section.time': '3. When the trouble happened',
    'ticket.field.trouble-started': 'Started at',
    'ticket.time.first-event-hint': '(The earliest related audit log event is at {time}.)',

    'ticket.section.audit-log': '4. Napter audit log output',
    'ticket.field.window': 'Audit log period',
    'ticket.audit.evidence-events': 'The events the diagnosis relied on, oldest first:',
    'ticket.audit.all-events': 'All events in the period, oldest first:',
    'ticket.audit.empty': 'The Napter audit log has no events in this period.',
    'ticket.audit.more': '… and {count} more events.',
    'ticket.column.time': 'Time (UTC)',
    'ticket.column.type': 'Type',
    'ticket.column.connection': 'Connection',
    'ticket.column.source-ip': 'Source IP',
    'ticket.column.device-port': 'Device port',
    'ticket.column.tls': 'TLS',

    'ticket.section.details': '5. Details of the trouble',
    'ticket.field.how-to-reproduce': 'How to reproduce',
    'ticket.field.conditions': 'Conditions under which it happens',
    'ticket.field.environment': 'Environment (client OS and software, network)',
    'ticket.field.what-was-tried': 'What was tried',
    'ticket.field.bot-actions': 'Recorded by napter-bot',

    'ticket.section.packet-capture': '6. Packet capture at the time of the trouble (SORACOM Peek)',
    'ticket.peek.none': 'No packet capture was taken. If you have one, attach it.',
    'ticket.field.peek-session': 'Session ID',
    'ticket.field.peek-status': 'Status',
    'ticket.field.peek-started': 'Started',
    'ticket.field.peek-ended': 'Ended',
    'ticket.peek.attach':
      'Download the capture file from the Slack thread (the link is valid for 5 minutes) and attach it to the ticket.',

    'ticket.section.reading': "7. napter-bot's findings",
    'ticket.field.verdict': 'Verdict',
    'ticket.field.summary': 'Summary',
    'ticket.field.causes': 'Possible causes',
    'ticket.field.next-steps': 'Suggested next steps',
    'ticket.field.notes': 'Notes on the evidence',
    'ticket.field.mapping': 'Port mapping concerned',
    'ticket.mapping.device-port': 'Device port',
    'ticket.mapping.tls': 'TLS option',
    'ticket.mapping.sources': 'Allowed source IP ranges',
    'ticket.mapping.created': 'Created',
    'ticket.mapping.expires': 'Expires',
    'ticket.field.observed-sources': 'Source IP addresses seen in the audit log',
    'ticket.source.admitted': 'inside the allowed range',
    'ticket.source.not-admitted': 'outside the allowed range',
    'ticket.source.likely-user': '(likely the user)',
  },
  ja: {
    'ticket.title': 'SORACOM Napter: サポートへのお問い合わせ（napter-bot が作成した下書き）',
    'ticket.intro':
      'この下書きを確認し、記入が必要な箇所を埋めたうえで、SORACOM のサポートチケットに貼り付けてください。napter-bot からチケットを起票することはできません。',
    'ticket.blank': '[記入してください]',
    'ticket.on': '有効',
    'ticket.off': '無効',

    'ticket.section.imsi': '1. SIM の IMSI',
    'ticket.field.imsi': 'IMSI',
    'ticket.field.sim-id': 'SIM ID',
    'ticket.field.sim-name': 'SIM の名前',

    'ticket.section.device': '2. ご利用中のデバイスの詳細（メーカー、型番、製品名）',
    'ticket.field.maker': 'メーカー',
    'ticket.field.model': '型番',
    'ticket.field.product-name': '製品名',

    'ticket.section.time': '3. トラブルが発生した時刻',
    'ticket.field.trouble-started': '発生時刻',
    'ticket.time.first-event-hint': '（関連する最も古い監査ログのイベントは {time} です）',

    'ticket.section.audit-log': '4. Napter 監査ログの出力',
    'ticket.field.window': '監査ログの期間',
    'ticket.audit.evidence-events': '切り分けの根拠としたイベント（古い順）:',
    'ticket.audit.all-events': '期間内のすべてのイベント（古い順）:',
    'ticket.audit.empty': 'この期間の Napter 監査ログにイベントはありません。',
    'ticket.audit.more': '…ほか {count} 件のイベントがあります。',
    'ticket.column.time': '時刻 (UTC)',
    'ticket.column.type': 'イベント',
    'ticket.column.connection': '接続 ID',
    'ticket.column.source-ip': 'アクセス元 IP',
    'ticket.column.device-port': 'デバイスポート',
    'ticket.column.tls': 'TLS',

    'ticket.section.details': '5. トラブルの詳細',
    'ticket.field.how-to-reproduce': '再現方法',
    'ticket.field.conditions': '発生条件',
    'ticket.field.environment': '利用環境（クライアントの OS やソフトウェア、ネットワーク）',
    'ticket.field.what-was-tried': '実施した対処',
    'ticket.field.bot-actions': 'napter-bot の記録',

    'ticket.section.packet-capture': '6. 事象発生時のパケットキャプチャ（SORACOM Peek）',
    'ticket.peek.none': 'パケットキャプチャは取得していません。お持ちの場合は添付してください。',
    'ticket.field.peek-session': 'セッション ID',
    'ticket.field.peek-status': 'ステータス',
    'ticket.field.peek-started': '開始',
    'ticket.field.peek-ended': '終了',
    'ticket.peek.attach':
      'キャプチャファイルは Slack のスレッドからダウンロードし（リンクの有効期限は 5 分間です）、チケットに添付してください。',

    'ticket.section.reading': '7. napter-bot による切り分け結果',
    'ticket.field.verdict': '判定',
    'ticket.field.summary': '概要',
    'ticket.field.causes': '考えられる原因',
    'ticket.field.next-steps': '推奨される対処',
    'ticket.field.notes': '根拠に関する補足',
    'ticket.field.mapping': '対象のポートマッピング',
    'ticket.mapping.device-port': 'デバイスポート',
    'ticket.mapping.tls': 'TLS オプション',
    'ticket.mapping.sources': 'アクセス元 IP アドレスレンジ',
    'ticket.mapping.created': '作成日時',
    'ticket.mapping.expires': '有効期限',
    'ticket.field.observed-sources': '監査ログで確認されたアクセス元 IP アドレス',
    'ticket.source.admitted': '許可された範囲内',
    'ticket.source.not-admitted': '許可された範囲外',
    'ticket.source.likely-user': '（ご利用者の接続と思われます）',
  },
};
