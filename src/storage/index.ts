export * from './types';
export { openStore, StoreError } from './sqlite-store';
export type { OpenStoreOptions } from './sqlite-store';
