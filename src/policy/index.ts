export * from './types';
export { authorize, policySim, policyUserGroups, isAdmin, globMatches, DEFAULT_POLICY } from './authorize';
export { loadPolicy, parsePolicy, PolicyError } from './load-policy';
