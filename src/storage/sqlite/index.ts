export { hashToken } from './ip-captures';
export type { Migration } from './migrations';
export { MIGRATIONS } from './migrations';
export { type OpenSqliteStoreOptions, openSqliteStore } from './open';
