import type { App, BlockAction, ButtonAction, Logger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';

/**
 * A minimal Bolt app that exercises every path of the fake: ack replies, respond(), chat.postMessage
 * with metadata and a button, views.open, block_actions with replace_original, view submissions.
 * It is not the napter bot; it only proves the fake speaks Bolt's protocol in both transports.
 */
export function registerProbeListeners(app: App): void {
  app.command('/napter', async ({ command, ack, respond, client }) => {
    const [sub] = command.text.trim().split(/\s+/);
    if (sub === 'thread') {
      await ack('on it');
      await client.chat.postMessage({
        channel: command.channel_id,
        text: 'Diagnosis root',
        metadata: { event_type: 'napter_diagnosis', event_payload: { diagnosisId: 'd-42' } },
        blocks: [
          { type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: '*sim-offline*' } },
          {
            type: 'actions',
            block_id: 'fixes',
            elements: [
              { type: 'button', action_id: 'napter_diagnose_again', text: { type: 'plain_text', text: 'Retry' }, value: 'diag:d-42' },
            ],
          },
        ],
      });
      await respond({ text: 'ready' });
      return;
    }
    if (sub === 'modal') {
      await client.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'napter_ticket_modal',
          private_metadata: JSON.stringify({ channel: command.channel_id }),
          title: { type: 'plain_text', text: 'Support ticket' },
          submit: { type: 'plain_text', text: 'Draft' },
          notify_on_close: true,
          blocks: [
            {
              type: 'input',
              block_id: 'ticket_note',
              label: { type: 'plain_text', text: 'Note' },
              element: { type: 'plain_text_input', action_id: 'note' },
            },
          ],
        },
      });
      await ack();
      return;
    }
    if (sub === 'private-button') {
      await ack({
        text: 'only you',
        blocks: [
          {
            type: 'actions',
            block_id: 'private_fixes',
            elements: [
              { type: 'button', action_id: 'napter_diagnose_again', text: { type: 'plain_text', text: 'Retry' }, value: 'diag:d-7' },
            ],
          },
        ],
      });
      return;
    }
    if (sub === 'public') {
      await ack({ response_type: 'in_channel', text: 'public card' });
      return;
    }
    await ack({ text: `unknown subcommand ${sub ?? ''}` });
  });

  app.action<BlockAction<ButtonAction>>('napter_diagnose_again', async ({ ack, action, body, respond }) => {
    await ack();
    const from = body.container['is_ephemeral'] === true ? 'ephemeral' : (body.container['type'] as string);
    await respond({
      replace_original: true,
      text: `retried ${action.value ?? ''} for ${body.user.id} from ${from}, message field ${body.message === undefined ? 'absent' : 'present'}`,
    });
  });

  app.view('napter_ticket_modal', async ({ ack, view, client }) => {
    const note = view.state.values['ticket_note']?.['note']?.value ?? '';
    if (note.trim() === '') {
      await ack({ response_action: 'errors', errors: { ticket_note: 'Write a note' } });
      return;
    }
    await ack();
    const { channel } = JSON.parse(view.private_metadata) as { channel: string };
    await client.chat.postMessage({ channel, text: `ticket drafted: ${note}` });
  });

  app.view({ callback_id: 'napter_ticket_modal', type: 'view_closed' }, async ({ ack, view, body, client }) => {
    await ack();
    const { channel } = JSON.parse(view.private_metadata) as { channel: string };
    await client.chat.postMessage({ channel, text: `${body.user.id} closed the modal` });
  });
}

/** A logger that keeps errors, so a test can assert the app logged none. */
export function recordingLogger(): { logger: Logger; errors: unknown[][] } {
  const errors: unknown[][] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (...messages: unknown[]) => {
      errors.push(messages);
    },
    setLevel: () => undefined,
    getLevel: () => LogLevel.ERROR,
    setName: () => undefined,
  };
  return { logger, errors };
}
