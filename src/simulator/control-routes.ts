import { z } from 'zod';
import { err, ok, type Result } from '../domain/result';
import { ManualClock, type Clock } from '../common/clock';
import { FAULT_KINDS, type FaultController, type FaultRule } from './faults';
import { json, matchRoute, routePattern, type Reply, type RoutePattern } from './http-kit';
import { DEMO_GUIDE, DEMO_SCENARIO_ID, loadDemoWorld, loadScenario, SCENARIOS } from './scenarios';
import { SimulatorInputError, type World } from './world';
import type { ClientSpec, DeviceSpec, SimSpec, WorldSpec, WorldState } from './world-spec';

/**
 * `/_sim/…`: the control surface for tests and the browser playground. No auth, no rate limit, no
 * faults; answers are plain JSON (`{ error }` on failure). Everything is data: the world state, the
 * scenarios, the fault rules.
 */

export interface ControlContext {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly world: World;
  readonly clock: Clock;
  readonly faults: FaultController;
  readonly requests: unknown[];
  info(): { baseUrl: string; authKeyId: string; authKey: string; operatorId: string };
}

const Service = z.looseObject({
  port: z.number().int().min(1).max(65_535),
  protocol: z.string(),
  state: z.enum(['serving', 'stopped', 'accepts-then-closes', 'rejects-clients']).optional(),
  description: z.string().optional(),
});
const Interface = z.enum(['cellular', 'wifi', 'lan']);
const Device = z.looseObject({
  description: z.string().optional(),
  services: z.array(Service).optional(),
  firewall: z
    .looseObject({
      policy: z.enum(['drop', 'reject']),
      allow: z.array(z.looseObject({ ports: z.array(z.number()).optional(), sources: z.array(z.string()).optional() })),
    })
    .nullable()
    .optional(),
  defaultRoute: Interface.optional(),
  routes: z.array(z.looseObject({ cidr: z.string(), via: Interface })).optional(),
  respondsToPing: z.boolean().optional(),
});
const SimFields = {
  additionalImsis: z.array(z.string()).optional(),
  sessionImsi: z.string().optional(),
  name: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  status: z.string().optional(),
  groupId: z.string().optional(),
  online: z.boolean().optional(),
  ueIpAddress: z.string().optional(),
  speedClass: z.string().optional(),
  /** null: back to the world's delay. */
  auditLogIngestDelayMs: z.number().min(0).nullable().optional(),
};
const Sim = z.looseObject({
  simId: z.string().regex(/^\d{19}$/, 'a SIM ID has 19 digits'),
  imsi: z.string().regex(/^\d{15}$/, 'an IMSI has 15 digits'),
  ...SimFields,
  device: Device.optional(),
});
const SimPatch = z.looseObject(SimFields);
const Client = z.looseObject({
  id: z.string().min(1),
  label: z.string().optional(),
  globalIp: z.string(),
  network: z
    .looseObject({
      description: z.string().optional(),
      blocksNapter: z.boolean().optional(),
      allowedOutboundPorts: z.array(z.number()).optional(),
    })
    .optional(),
});
const Attempt = z.looseObject({
  client: z.string(),
  endpoint: z.string(),
  protocol: z.string().optional(),
  tls: z.boolean().optional(),
  sessionSec: z.number().positive().optional(),
  sourcePort: z.number().int().optional(),
  atMs: z.number().optional(),
});
const Fault = z.looseObject({
  kind: z.enum(FAULT_KINDS),
  method: z.string().optional(),
  path: z.string().optional(),
  count: z.number().int().positive().optional(),
  after: z.number().int().min(0).optional(),
  probability: z.number().min(0).max(1).optional(),
  latencyMs: z.number().min(0).optional(),
  status: z.number().int().min(400).max(599).optional(),
});
const FaultBatch = z.looseObject({ seed: z.number().optional(), rules: z.array(Fault) });
const WorldStateShape = z.looseObject({
  operatorId: z.string(),
  options: z.looseObject({}),
  randomState: z.number(),
  nextSeq: z.number(),
  sims: z.array(z.looseObject({})),
  clients: z.array(z.looseObject({})),
  mappings: z.array(z.looseObject({})),
  events: z.array(z.looseObject({})),
  denials: z.array(z.looseObject({})),
  blocks: z.array(z.looseObject({})),
  traffic: z.array(z.looseObject({})),
  peekSessions: z.array(z.looseObject({})),
});

const problem = (status: number, error: string): Reply => json(status, { error });

/** Parses a control body; on failure the 400 reply to send. */
function parse<T>(schema: z.ZodType<T>, body: unknown): Result<T, Reply> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return ok(parsed.data);
  return err(problem(400, parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ')));
}

interface ControlRoute {
  readonly pattern: RoutePattern;
  handle(context: ControlContext, params: Record<string, string>): Reply;
}

const route = (method: string, template: string, handle: ControlRoute['handle']): ControlRoute => ({
  pattern: routePattern(method, `/_sim${template}`),
  handle,
});

function clockJson(clock: Clock) {
  return { nowMs: clock.nowMs(), nowIso: new Date(clock.nowMs()).toISOString(), manual: clock instanceof ManualClock };
}

const ROUTES: readonly ControlRoute[] = [
  route('GET', '/info', (context) =>
    json(200, { ...context.info(), clock: clockJson(context.clock), endpointEnv: `SORACOM_API_ENDPOINT=${context.info().baseUrl}` }),
  ),
  route('GET', '/world', (context) => json(200, context.world.snapshot())),
  route('PUT', '/world', (context) => {
    const stateParsed = parse(WorldStateShape, context.body);
    if (!stateParsed.ok) return stateParsed.error;
    const state = stateParsed.value;
    context.world.replaceState(state as unknown as WorldState);
    return json(200, context.world.snapshot());
  }),
  route('POST', '/world/reset', (context) => {
    context.world.reset((context.body ?? {}) as WorldSpec);
    return json(200, context.world.snapshot());
  }),
  route('POST', '/sims', (context) => {
    const simParsed = parse(Sim, context.body);
    if (!simParsed.ok) return simParsed.error;
    const sim = simParsed.value;
    return json(201, context.world.addSim(sim as SimSpec));
  }),
  route('PATCH', '/sims/{ref}', (context, params) => {
    const patchParsed = parse(SimPatch, context.body);
    if (!patchParsed.ok) return patchParsed.error;
    const patch = patchParsed.value;
    return json(200, context.world.updateSim(params['ref'] ?? '', patch as Partial<SimSpec>));
  }),
  route('PUT', '/sims/{ref}/device', (context, params) => {
    const deviceParsed = parse(Device, context.body);
    if (!deviceParsed.ok) return deviceParsed.error;
    const device = deviceParsed.value;
    return json(200, context.world.setDevice(params['ref'] ?? '', device as DeviceSpec));
  }),
  route('POST', '/clients', (context) => {
    const clientParsed = parse(Client, context.body);
    if (!clientParsed.ok) return clientParsed.error;
    const client = clientParsed.value;
    return json(201, context.world.addClient(client as ClientSpec));
  }),
  route('POST', '/attempts', (context) => {
    const attemptParsed = parse(Attempt, context.body);
    if (!attemptParsed.ok) return attemptParsed.error;
    const attempt = attemptParsed.value;
    return json(200, context.world.attempt(attempt, attempt.atMs));
  }),
  /**
   * Someone else deletes a mapping (the User Console, the CLI, another tool): the same effect as SORACOM's
   * deletePortMapping, DELETED in the audit log included, but not in the bot's request log. `atMs` back-dates it.
   */
  route('DELETE', '/mappings/{ip_address}/{port}', (context, params) => {
    const atParsed = parse(z.looseObject({ atMs: z.coerce.number().int().min(0).optional() }), Object.fromEntries(context.query));
    if (!atParsed.ok) return atParsed.error;
    const port = Number(params['port']);
    const deleted = Number.isInteger(port) && context.world.deleteMapping(params['ip_address'] ?? '', port, atParsed.value.atMs);
    return deleted ? { status: 204 } : problem(404, `no active mapping at ${params['ip_address'] ?? ''}:${params['port'] ?? ''}`);
  }),
  route('GET', '/scenarios', () =>
    json(200, {
      demo: { id: DEMO_SCENARIO_ID, sims: DEMO_GUIDE },
      scenarios: SCENARIOS,
    }),
  ),
  route('POST', '/scenarios/{id}/load', (context, params) => {
    const options = (context.body ?? {}) as { reset?: boolean; mode?: 'advance' | 'backdate' };
    const id = params['id'] ?? '';
    if (id === DEMO_SCENARIO_ID) {
      const guide = loadDemoWorld(context.world, context.clock, { reset: options.reset ?? true });
      return json(200, { loaded: DEMO_SCENARIO_ID, sims: guide, clock: clockJson(context.clock) });
    }
    const loaded = loadScenario(context.world, id, { reset: options.reset ?? true, ...(options.mode ? { mode: options.mode } : {}) });
    return json(200, {
      loaded: loaded.scenario.id,
      startMs: loaded.startMs,
      endMs: loaded.endMs,
      mappings: loaded.mappings,
      attempts: loaded.attempts,
      clock: clockJson(context.clock),
    });
  }),
  route('GET', '/clock', (context) => json(200, clockJson(context.clock))),
  route('POST', '/clock/advance', (context) => {
    const bodyParsed = parse(z.looseObject({ ms: z.number().min(0) }), context.body);
    if (!bodyParsed.ok) return bodyParsed.error;
    const body = bodyParsed.value;
    if (!(context.clock instanceof ManualClock)) return problem(409, 'the simulator runs on the real clock; start it with a ManualClock to advance time');
    context.clock.advance(body.ms);
    return json(200, clockJson(context.clock));
  }),
  route('GET', '/faults', (context) => json(200, context.faults.list())),
  route('POST', '/faults', (context) => {
    const isBatch = typeof context.body === 'object' && context.body !== null && 'rules' in context.body;
    if (isBatch) {
      const batch = parse(FaultBatch, context.body);
      if (!batch.ok) return batch.error;
      if (batch.value.seed !== undefined) context.faults.reseed(batch.value.seed);
      return json(201, { ids: batch.value.rules.map((rule) => context.faults.add(rule as FaultRule)) });
    }
    const single = parse(Fault, context.body);
    if (!single.ok) return single.error;
    return json(201, { ids: [context.faults.add(single.value as FaultRule)] });
  }),
  route('DELETE', '/faults', (context) => {
    context.faults.clear();
    return { status: 204 };
  }),
  route('GET', '/requests', (context) => json(200, context.requests)),
  route('DELETE', '/requests', (context) => {
    context.requests.length = 0;
    return { status: 204 };
  }),
];

export async function handleControl(context: ControlContext): Promise<Reply> {
  for (const candidate of ROUTES) {
    const params = matchRoute(candidate.pattern, context.method, context.path);
    if (params === undefined) continue;
    try {
      return candidate.handle(context, params);
    } catch (error) {
      if (error instanceof SimulatorInputError || error instanceof RangeError) return problem(400, error.message);
      throw error;
    }
  }
  return problem(404, `no control endpoint ${context.method} ${context.path}`);
}
