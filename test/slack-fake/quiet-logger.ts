import { LogLevel, type Logger } from '@slack/bolt';

/** Keeps expected platform errors (the point of these tests) out of the test output. */
export const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};
