import { createPrometheusMetrics } from '../../src/metrics/prometheus';
import { sampleOf } from '../support/metrics-text';

describe('the Prometheus metrics', () => {
  it('bound every label: a value that is not an identifier, or one past the 64 a label has room for, counts as other', async () => {
    const { metrics, registry } = createPrometheusMetrics();
    metrics.slackApiError('chat.postMessage', 'channel not found <script>');
    for (let index = 0; index < 70; index += 1) metrics.slackApiError('chat.postMessage', `code_${index}`);
    const text = await registry.metrics();
    expect(sampleOf(text, 'napter_slack_api_errors_total', { method: 'chat.postMessage', code: 'other' })).toBe(1 + 70 - 64);
    expect(sampleOf(text, 'napter_slack_api_errors_total', { code: 'code_63' })).toBe(1);
    expect(sampleOf(text, 'napter_slack_api_errors_total', { code: 'code_64' })).toBe(0);
  });

  it('reads the scheduler lag at each scrape once a scheduler registers it', async () => {
    const { registry, registerSchedulerLag } = createPrometheusMetrics();
    expect(await registry.metrics()).not.toContain('napter_scheduler_lag_seconds');
    let lagMs = 1500;
    registerSchedulerLag(() => lagMs);
    expect(sampleOf(await registry.metrics(), 'napter_scheduler_lag_seconds')).toBe(1.5);
    lagMs = 20;
    expect(sampleOf(await registry.metrics(), 'napter_scheduler_lag_seconds')).toBe(0.02);
  });

  it('counts a modal submission as a click without an ack time, and a command by its subcommand', async () => {
    const { metrics, registry } = createPrometheusMetrics();
    metrics.request({ kind: 'click', name: 'napter_ticket_submit', outcome: 'submitted', ackSeconds: undefined });
    metrics.request({ kind: 'command', name: 'open', outcome: 'opened', ackSeconds: 0.004 });
    const text = await registry.metrics();
    expect(sampleOf(text, 'napter_clicks_total', { kind: 'napter_ticket_submit', outcome: 'submitted' })).toBe(1);
    expect(sampleOf(text, 'napter_commands_total', { kind: 'open', outcome: 'opened' })).toBe(1);
    expect(sampleOf(text, 'napter_ack_duration_seconds_count')).toBe(1);
    expect(sampleOf(text, 'napter_ack_duration_seconds_bucket', { le: '0.005' })).toBe(1);
  });
});
