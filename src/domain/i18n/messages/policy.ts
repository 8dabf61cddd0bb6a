/** Denials from the bot's access policy (`src/policy`). Keys are `policy.*`. Each says which limit was hit. */
const en = {
  'policy.denied.action': "The bot's access policy does not allow you to `/napter {action}`. Ask a bot admin to add you to a rule that allows it.",
  'policy.denied.channel': "The bot's access policy does not allow `/napter {action}` in {channelId}. Use a channel the policy names, or ask a bot admin.",
  'policy.denied.sim': "The bot's access policy does not allow you to `/napter {action}` on SIM `{simId}`: no rule covers its SIM group or tags.",
  'policy.denied.port': "The bot's access policy does not allow device port {port} on this SIM. Allowed ports: {allowedPorts}.",
  'policy.denied.duration':
    "{duration} is longer than the bot's access policy allows here: {maxDuration} at most. Ask for a shorter time, e.g. `for {maxDuration}`.",
  'policy.denied.source-width':
    "The source range `{sourceCidr}` is wider than the bot's access policy allows: /{maxWidth} is the widest IPv{ipVersion} range. Use your own address or a narrower range.",
  'policy.denied.source-invalid': '`{sourceCidr}` is not an IP address or CIDR, so the access policy cannot check it.',
  'policy.denied.close-not-owner': 'Only {openedBy}, who opened this mapping, or a bot admin can close it.',
  'policy.denied.close-unknown-owner': 'The bot did not open this mapping, so only a bot admin can close it.',
};

export const policyMessages = {
  en,
  ja: {
    'policy.denied.action':
      'Bot のアクセスポリシーにより、`/napter {action}` は許可されていません。許可するルールに追加するよう Bot の管理者に依頼してください。',
    'policy.denied.channel':
      'Bot のアクセスポリシーにより、{channelId} では `/napter {action}` は許可されていません。ポリシーで指定されたチャンネルを使うか、Bot の管理者に相談してください。',
    'policy.denied.sim':
      'Bot のアクセスポリシーにより、SIM `{simId}` に対する `/napter {action}` は許可されていません。この SIM のグループまたはタグに該当するルールがありません。',
    'policy.denied.port': 'Bot のアクセスポリシーにより、この SIM のデバイスポート {port} は許可されていません。許可されているポート: {allowedPorts}',
    'policy.denied.duration':
      '{duration} は Bot のアクセスポリシーの上限を超えています。上限は {maxDuration} です。`for {maxDuration}` のように短い時間を指定してください。',
    'policy.denied.source-width':
      '接続元の範囲 `{sourceCidr}` は Bot のアクセスポリシーで許可される範囲より広すぎます。IPv{ipVersion} で許可される最も広い範囲は /{maxWidth} です。ご自身のアドレスか、より狭い範囲を指定してください。',
    'policy.denied.source-invalid': '`{sourceCidr}` は IP アドレスまたは CIDR ではないため、アクセスポリシーで確認できません。',
    'policy.denied.close-not-owner': 'このポートマッピングを削除できるのは、作成した {openedBy} さんか Bot の管理者だけです。',
    'policy.denied.close-unknown-owner': 'このポートマッピングは Bot が作成したものではないため、削除できるのは Bot の管理者だけです。',
  } satisfies Record<keyof typeof en, string>,
};
