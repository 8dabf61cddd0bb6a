import type { MessageArea } from '../catalog';

/** Texts of the slack area. Keys are `slack.*`. */
export const slackMessages: MessageArea = {
  en: {},
  ja: {},
};
