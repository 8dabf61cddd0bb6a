export * from './types';
export { authorize, policyUserGroups, isAdmin, globMatches, DEFAULT_POLICY } from './authorize';
export { loadPolicy, parsePolicy, PolicyError } from './load-policy';
