export * from './types';
export { diagnose } from './diagnose';
export { verdictTitle, causeMessage, remedyLabel } from './labels';
export { computeFacts, ENDED_AT_ONCE_MS, NORMAL_USE_MIN_MS, JUST_OPENED_MS, DEFAULT_RETENTION_MS } from './facts';
export type { Facts, ConnectionFacts, MappingLifetime } from './facts';
export { RULES } from './rules';
export type { Rule, Finding } from './rules';
