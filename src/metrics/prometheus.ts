import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics } from '../common/metrics';

/**
 * The Metrics port over prom-client, on a registry of its own (not prom-client's global one), with Node's default
 * process metrics. Label values are checked on the way in: a value that is not a short identifier, or one more
 * than a label has room for, is counted as `other`, so that no input can grow the series without bound.
 */
export interface PrometheusMetrics {
  readonly metrics: Metrics;
  readonly registry: Registry;
  /** Adds `napter_scheduler_lag_seconds`, read from `lagMs` at each scrape (once there is a scheduler). */
  registerSchedulerLag(lagMs: () => number): void;
  /** Commands acked and waiting for their turn to work (NAPTER_COMMAND_CONCURRENCY are working). */
  registerCommandQueue(waiting: () => number): void;
}

const ACK_BUCKETS_SEC = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 3, 5];
const SORACOM_BUCKETS_SEC = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Distinct values one label may take before the rest are `other`. */
const MAX_VALUES_PER_LABEL = 64;
const LABEL_VALUE = /^[A-Za-z0-9_.:/-]{1,64}$/;

export function createPrometheusMetrics(): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const label = boundedLabels();

  const commands = new Counter({
    name: 'napter_commands_total',
    help: 'Slash commands handled, by subcommand and how they ended',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const clicks = new Counter({
    name: 'napter_clicks_total',
    help: 'Button clicks and modal submissions handled, by action id and how they ended',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const verdicts = new Counter({ name: 'napter_verdicts_total', help: 'Diagnoses shown, by verdict', labelNames: ['verdict'], registers: [registry] });
  const soracomCalls = new Counter({
    name: 'napter_soracom_calls_total',
    help: 'HTTP attempts to the SORACOM API, by operation and HTTP status (network: no answer)',
    labelNames: ['operation', 'status'],
    registers: [registry],
  });
  const soracomDuration = new Histogram({
    name: 'napter_soracom_call_duration_seconds',
    help: 'Duration of one HTTP attempt to the SORACOM API',
    labelNames: ['operation'],
    buckets: SORACOM_BUCKETS_SEC,
    registers: [registry],
  });
  const slackErrors = new Counter({
    name: 'napter_slack_api_errors_total',
    help: 'Slack Web API calls that did not answer ok, by method and error code',
    labelNames: ['method', 'code'],
    registers: [registry],
  });
  const ack = new Histogram({
    name: 'napter_ack_duration_seconds',
    help: 'From a Slack request received to its ack written (commands and clicks)',
    buckets: ACK_BUCKETS_SEC,
    registers: [registry],
  });
  const registerSchedulerLag = (lagMs: () => number) => {
    new Gauge({
      name: 'napter_scheduler_lag_seconds',
      help: 'How late the scheduler runs its due work',
      registers: [registry],
      collect() {
        this.set(lagMs() / 1000);
      },
    });
  };

  const registerCommandQueue = (waiting: () => number) => {
    new Gauge({
      name: 'napter_commands_waiting',
      help: 'Commands acked and waiting for their turn to work',
      registers: [registry],
      collect() {
        this.set(waiting());
      },
    });
  };

  const metrics: Metrics = {
    request(report) {
      const counter = report.kind === 'command' ? commands : clicks;
      counter.inc({ kind: label('kind', report.name.replace(/^\//, '')), outcome: label('outcome', report.outcome) });
      if (report.ackSeconds !== undefined) ack.observe(report.ackSeconds);
    },
    verdict(verdict) {
      verdicts.inc({ verdict: label('verdict', verdict) });
    },
    soracomCall(call) {
      const operation = label('operation', call.operation);
      soracomCalls.inc({ operation, status: label('status', String(call.status)) });
      soracomDuration.observe({ operation }, call.durationSeconds);
    },
    slackApiError(method, code) {
      slackErrors.inc({ method: label('method', method), code: label('code', code) });
    },
  };
  return { metrics, registry, registerSchedulerLag, registerCommandQueue };
}

function boundedLabels(): (name: string, value: string) => string {
  const seen = new Map<string, Set<string>>();
  return (name, value) => {
    if (!LABEL_VALUE.test(value)) return 'other';
    const values = seen.get(name) ?? new Set<string>();
    seen.set(name, values);
    if (values.has(value)) return value;
    if (values.size >= MAX_VALUES_PER_LABEL) return 'other';
    values.add(value);
    return value;
  };
}
