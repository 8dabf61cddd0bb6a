import type { MessageArea } from '../catalog';

/** Texts of the ticket area. Keys are `ticket.*`. */
export const ticketMessages: MessageArea = {
  en: {},
  ja: {},
};
