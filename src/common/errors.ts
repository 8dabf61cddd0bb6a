/**
 * Unexpected failures are typed errors with a stable `code` and the `cause`; they are turned into user
 * text in one place (the Slack error handler). Messages say what failed, where, and what to do.
 */
export class NapterBotError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The stable code of an error: a NapterBotError's, or any `code` string it carries; else UNEXPECTED. */
export function errorCode(error: unknown): string {
  if (error instanceof NapterBotError) return error.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'UNEXPECTED';
}
