/**
 * What the bot counts, as a port: the Slack adapter and the SORACOM client report here and know nothing of
 * Prometheus (`src/metrics/` implements it; the composition root injects it). Every label value given here is
 * from a closed set (a subcommand, an action id, an outcome kind, an operation, a status): never a user, a SIM or
 * an address.
 */
export interface Metrics {
  /** A command or a click (a modal's submission counts as a click) once its pipeline is done. */
  request(report: RequestMetric): void;
  /** A diagnosis shown, by its verdict id. */
  verdict(verdict: string): void;
  /** One HTTP attempt to SORACOM. */
  soracomCall(call: SoracomCallMetric): void;
  /** A Slack Web API call that did not answer `ok: true`. */
  slackApiError(method: string, code: string): void;
}

export interface RequestMetric {
  readonly kind: 'command' | 'click';
  /** The subcommand (`open`, `diagnose`…) or the action id / modal callback id. */
  readonly name: string;
  readonly outcome: string;
  /** From the request's arrival to its ack written; undefined when the listener acks (a modal's submission). */
  readonly ackSeconds: number | undefined;
}

export interface SoracomCallMetric {
  /** SORACOM's operationId (`listPortMappingsForSim`…), `other` for a path the client does not name. */
  readonly operation: string;
  /** The HTTP status, or `network` when no answer came (refused, reset, timed out). */
  readonly status: number | 'network';
  readonly durationSeconds: number;
}

export const noMetrics: Metrics = {
  request: () => undefined,
  verdict: () => undefined,
  soracomCall: () => undefined,
  slackApiError: () => undefined,
};
