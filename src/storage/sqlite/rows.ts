import type Database from 'better-sqlite3';
import { StoreError } from '../../use-cases/ports/store';

/** A row as better-sqlite3 returns it; read through the helpers below, which refuse what the schema forbids. */
export type Row = Record<string, unknown>;
export type Db = Database.Database;

export const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
export const parseJson = (text: unknown): unknown => (typeof text === 'string' ? JSON.parse(text) : undefined);
export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined);

export function requiredStr(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new StoreError('STORE_CORRUPT', `Column ${column} is not text in a stored row`);
  return value;
}

export function requiredNum(row: Row, column: string): number {
  const value = num(row[column]);
  if (value === undefined) throw new StoreError('STORE_CORRUPT', `Column ${column} is not a number in a stored row`);
  return value;
}

/** Leaves out absent optional fields, so a stored object compares equal to what was saved. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** `WHERE a = @a AND …` from the filter's given fields; absent ones are left out. */
export function whereEqual(columns: Readonly<Record<string, unknown>>, extra: readonly string[] = []): { sql: string; params: Record<string, unknown> } {
  const clauses: string[] = [...extra];
  const params: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(columns)) {
    if (value === undefined) continue;
    clauses.push(`${column} = @${column}`);
    params[column] = value;
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export function notFound(what: string, id: string): never {
  throw new StoreError('STORE_NOT_FOUND', `No stored ${what} with id ${id}`);
}
