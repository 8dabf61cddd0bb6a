import type { MessageArea } from '../catalog';

/** Texts of the command area. Keys are `command.*`. */
export const commandMessages: MessageArea = {
  en: {},
  ja: {},
};
