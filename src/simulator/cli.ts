import { parseArgs } from 'node:util';
import { DEMO_GUIDE, DEMO_SCENARIO_ID, SCENARIOS, startSimulator } from './index';

/**
 * `npm run simulator -- --port 8080 [--scenario NAME] [--list]`: the simulator standalone on the real
 * clock, printing the settings that point napter-bot (or the soracom CLI) at it.
 */

const USAGE = `Usage: npm run simulator -- [--port 8080] [--host 127.0.0.1] [--scenario NAME|demo] [--list]`;

function listScenarios(): string {
  const rows = SCENARIOS.map((scenario) => `  ${scenario.id.padEnd(34)} ${scenario.expectedVerdict.padEnd(26)} ${scenario.title.en}`);
  return [`Scenarios (id, expected verdict, title); "${DEMO_SCENARIO_ID}" loads one SIM per scenario:`, ...rows].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      scenario: { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.list) {
    console.log(listScenarios());
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be a TCP port (0-65535), got ${values.port}\n${USAGE}`);
  const scenario = values.scenario;
  if (scenario !== undefined && scenario !== DEMO_SCENARIO_ID && !SCENARIOS.some((candidate) => candidate.id === scenario)) {
    throw new Error(`Unknown scenario "${scenario}".\n${listScenarios()}`);
  }

  const simulator = await startSimulator({ port, host: values.host, ...(scenario === undefined ? {} : { scenario }) });
  console.log(`SORACOM simulator listening (API under ${simulator.baseUrl}/v1, control under ${simulator.baseUrl}/_sim)`);
  console.log('');
  console.log(`SORACOM_API_ENDPOINT=${simulator.baseUrl}`);
  console.log(`SORACOM_AUTH_KEY_ID=${simulator.authKeyId} SORACOM_AUTH_KEY=${simulator.authKey}`);
  console.log('');
  if (scenario === DEMO_SCENARIO_ID) {
    console.log('Demo SIMs (diagnose each to see its verdict):');
    for (const entry of DEMO_GUIDE) console.log(`  ${entry.simName.padEnd(24)} ${entry.expectedVerdict.padEnd(26)} ${entry.title.en}`);
  } else if (scenario !== undefined) {
    const loaded = SCENARIOS.find((candidate) => candidate.id === scenario);
    if (loaded !== undefined) console.log(`Scenario ${loaded.id}: ${loaded.title.en}. Diagnose "${loaded.diagnoseSimRef}"; expected ${loaded.expectedVerdict}.`);
  } else {
    console.log(`Empty world. Load one with: curl -X POST ${simulator.baseUrl}/_sim/scenarios/${DEMO_SCENARIO_ID}/load`);
  }

  const stop = (): void => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
