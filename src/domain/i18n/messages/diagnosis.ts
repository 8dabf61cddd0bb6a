import type { MessageArea } from '../catalog';

/** Texts of the diagnosis area. Keys are `diagnosis.*`. */
export const diagnosisMessages: MessageArea = {
  en: {},
  ja: {},
};
