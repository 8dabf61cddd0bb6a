/**
 * The SORACOM simulator: a loopback HTTP server speaking the parts of the SORACOM API napter-bot uses,
 * over a world model of SIMs, devices and people that writes the audit events Napter would.
 * Assumptions about unconfirmed behaviour: `./assumptions`.
 */
export { startSimulator, type RecordedRequest, type RunningSimulator, type SimulatorOptions } from './server';
export { World, SimulatorInputError } from './world';
export type { AttemptInput, AttemptOutcome, AttemptResult, CreateMappingInput, PeekView, DownlinkOutcome, DownlinkTcpMode, WorldError } from './world';
export type * from './world-spec';
export { FaultController, FAULT_KINDS, type FaultKind, type FaultRule, type FaultSpec } from './faults';
export { SCENARIOS, getScenario, loadScenario, loadDemoWorld, DEMO_GUIDE, DEMO_SCENARIO_ID } from './scenarios';
export type { DemoEntry, LoadedScenario, LoadOptions } from './scenarios';
export type { Scenario, ScenarioStep, LocalisedText } from './scenario-types';
export { ASSUMPTIONS, ERROR_CODES } from './assumptions';
export { DEFAULT_CREDENTIALS, type Credentials } from './auth-store';
export { buildPcap, PCAP_MAGIC, LINKTYPE_RAW } from './pcap';
