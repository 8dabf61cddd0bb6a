/**
 * Every Block Kit action_id, callback_id and metadata event type of the bot, in one place.
 * They are part of the interface: tests and outside tools match on them.
 */
export const ACTION_IDS = {
  openAgain: 'napter_open_again',
  openAgainWithFix: 'napter_open_again_with_fix',
  /** The user confirms that an address seen in DENIED events is theirs before a reopen uses it. */
  confirmObservedIp: 'napter_confirm_observed_ip',
  diagnoseAgain: 'napter_diagnose_again',
  diagnoseMapping: 'napter_diagnose_mapping',
  closeNow: 'napter_close_now',
  /** Extend a mapping (a new one replaces it); its value is the same mapping reference as Close now's. */
  extend: 'napter_extend',
  startCapture: 'napter_start_capture',
  downloadCapture: 'napter_download_capture',
  draftTicket: 'napter_draft_ticket',
  /** A link button (the IP capture page); Slack still sends a block_actions payload that must be acked. */
  openIpCapturePage: 'napter_open_ip_capture_page',
} as const;

export const CALLBACK_IDS = {
  ticketModal: 'napter_ticket_modal',
} as const;

export const METADATA_EVENT_TYPES = {
  diagnosis: 'napter_diagnosis',
  mappingCard: 'napter_mapping',
} as const;

export const SLASH_COMMAND = '/napter';
