/**
 * What a failure nobody handled means for the process. One bad request (a promise rejected deep in a library,
 * a listener that threw) is that request's problem: it is logged with what it was, counted, and the bot stays
 * up for everyone else. Only a failure that leaves the process unable to serve anyone ends it: the database
 * gone, closed or corrupt, memory exhausted.
 */
export interface FailureLog {
  error(...parts: unknown[]): void;
}

export interface ProcessFailures {
  /** Unhandled rejections survived so far. */
  readonly survived: number;
  /** Returns true when the process must stop. */
  onUnhandledRejection(reason: unknown): boolean;
}

/** SQLite codes (better-sqlite3's `code`) after which the store cannot be trusted or used. */
const FATAL_SQLITE_CODES: ReadonlySet<string> = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_FULL', 'SQLITE_CANTOPEN', 'SQLITE_READONLY']);
const FATAL_NODE_CODES: ReadonlySet<string> = new Set(['ERR_MEMORY_ALLOCATION_FAILED', 'ERR_WORKER_OUT_OF_MEMORY', 'STORE_OPEN_FAILED']);

export function isFatalFailure(reason: unknown): boolean {
  const code = (reason as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && (FATAL_NODE_CODES.has(code) || FATAL_SQLITE_CODES.has(code) || code.startsWith('SQLITE_IOERR'))) return true;
  const message = reason instanceof Error ? reason.message : '';
  // better-sqlite3 after close(); V8 when an allocation fails.
  return /The database connection is not open|Array buffer allocation failed|Invalid array length/.test(message);
}

export function createProcessFailures(log: FailureLog): ProcessFailures {
  let survived = 0;
  return {
    get survived() {
      return survived;
    },
    onUnhandledRejection(reason: unknown): boolean {
      if (isFatalFailure(reason)) {
        log.error('A failure left the process unable to serve; shutting down', reason);
        return true;
      }
      survived += 1;
      const stack =
        reason instanceof Error && reason.stack !== undefined
          ? reason.stack
              .split('\n')
              .slice(1, 4)
              .map((line) => line.trim())
          : [];
      log.error(`Unhandled failure (${survived} so far); the bot stays up`, reason, ...(stack.length > 0 ? [{ at: stack }] : []));
      return false;
    },
  };
}
