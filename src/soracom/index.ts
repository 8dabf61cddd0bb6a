export {
  createSoracomClient,
  endpointForCoverage,
  findCreatedMapping,
  findCreatedPeekSession,
  DEFAULT_TIMEOUT_MS,
  type SoracomClient,
  type SoracomClientOptions,
  type SoracomClientStats,
  type SoracomLogger,
} from './client';
export {
  SoracomError,
  SoracomHttpError,
  SoracomAuthError,
  SoracomRateLimitedError,
  SoracomTimeoutError,
  SoracomNetworkError,
  SoracomResponseShapeError,
  SoracomValidationError,
  SoracomOutcomeUnknownError,
  MappingDurationError,
  parseErrorBody,
  redactSecrets,
} from './errors';
export { SORACOM_COVERAGE_ENDPOINTS, apiBaseUrl, type SoracomCoverage } from './endpoint';
export { observeSoracomWaits, type SoracomWait } from './http';
