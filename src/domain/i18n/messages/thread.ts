import type { MessageArea } from '../catalog';

/** Texts of the diagnosis thread, buttons, packet capture and ticket modal in Slack. Keys are `thread.*`. */
export const threadMessages: MessageArea = {
  en: {},
  ja: {},
};
