export * from './types';
export { parseNapterCommand, parseSimRef } from './parse';
export type { ParseDefaults, ParseOptions, SimRefError } from './parse';
export { helpMessages } from './help';
