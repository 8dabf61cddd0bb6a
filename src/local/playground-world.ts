import type { Lang } from '../domain/i18n/message-ref';
import { isGlobalAddress } from '../simulator/net';
import { DEMO_GUIDE, getScenario } from '../simulator/scenarios';
import type { AttemptResult, World } from '../simulator/world';
import type { MappingState, SimState } from '../simulator/world-spec';
import type { ConnectRequest } from './input';

/**
 * The playground's window on the simulated SORACOM world: what each demo SIM shows (read from the
 * scenario catalog the demo world is built from, so the two cannot drift), and `:connect`, which has the
 * world play the user's own connection through a mapping — the same `World.attempt` the scenarios and
 * the `/_sim/attempts` control route use, so the audit events are the ones a real connection would leave.
 */

/** `:sims`: one line per demo SIM, its story in the reader's language and its state in the world now. */
export function describeDemoSims(world: World, lang: Lang): string[] {
  const width = Math.max(...DEMO_GUIDE.map((entry) => entry.simName.length));
  const described = new Set<string>();
  const lines = DEMO_GUIDE.map((entry) => {
    const sim = world.findSim(entry.simName);
    if (sim !== undefined) described.add(sim.simId);
    return `${entry.simName.padEnd(width)}  ${entry.title[lang]}  (${sim === undefined ? 'no SIM has this IMSI' : simState(sim)})`;
  });
  for (const sim of world.state.sims) {
    if (!described.has(sim.simId)) lines.push(`${(sim.tags['name'] ?? sim.simId).padEnd(width)}  (${simState(sim)})`);
  }
  return lines;
}

/** `:sims <name>`: the demo SIM's whole story, and what to type to see it. */
export function describeDemoSim(world: World, ref: string, lang: Lang): string[] | undefined {
  const entry = DEMO_GUIDE.find((candidate) => candidate.simName === ref) ?? DEMO_GUIDE.find((candidate) => candidate.simName === world.findSim(ref)?.tags['name']);
  const scenario = entry === undefined ? undefined : getScenario(entry.scenarioId);
  if (entry === undefined || scenario === undefined) return undefined;
  const sim = world.findSim(entry.simName);
  return [
    `${entry.simName}: ${scenario.title[lang]}`,
    `  ${scenario.description[lang]}`,
    `  ${sim === undefined ? 'No SIM has this IMSI.' : `IMSI ${sim.imsi}, ${simState(sim)}; device: ${sim.device.description || '(not described)'}`}`,
    `  The guide's verdict: ${scenario.expectedVerdict}. Try: /napter diagnose ${entry.simName}`,
  ];
}

function simState(sim: SimState): string {
  return `${sim.status}, ${sim.online ? 'online' : 'offline'}`;
}

export interface ConnectAs {
  /** The playground user's name, for the simulated machine's id and label. */
  readonly userName: string;
  /** The address this user last confirmed on the IP page, if any. */
  readonly confirmedIp: string | undefined;
}

export type ConnectOutcome =
  | { readonly ok: false; readonly message: string }
  | {
      readonly ok: true;
      readonly sim: SimState;
      readonly mapping: MappingState;
      readonly fromIp: string;
      /** Why this address, when the user did not name one. */
      readonly fromWhy: string | undefined;
      readonly attempt: AttemptResult;
      /** How long after they happen SORACOM shows this SIM's events. */
      readonly ingestDelayMs: number;
    };

/**
 * The user connects through the SIM's newest mapping — the one just opened, or, once it has expired or
 * been closed, the endpoint the user still has (Napter denies it). The world writes ACCESS, then CONNECTED/CLOSED,
 * DENIED or REFUSED as the mapping's source range, its TLS setting and the device decide.
 */
export function connectThroughMapping(world: World, request: ConnectRequest, as: ConnectAs): ConnectOutcome {
  const sim = world.findSim(request.simRef);
  if (sim === undefined) return { ok: false, message: `No SIM "${request.simRef}" in the simulated world. Try :sims.` };
  const nowMs = world.clock.nowMs();
  world.materialise(nowMs);
  const mappings = world.state.mappings.filter((mapping) => mapping.simId === sim.simId && mapping.createdAtMs <= nowMs).sort((a, b) => b.createdAtMs - a.createdAtMs);
  const mapping = mappings[0];
  if (mapping === undefined) return { ok: false, message: `${request.simRef} has no mapping to connect through: /napter open ${request.simRef} first.` };

  let fromIp = request.fromIp ?? as.confirmedIp;
  let fromWhy = request.fromIp === undefined && as.confirmedIp !== undefined ? 'the address you confirmed' : undefined;
  const single = mapping.sourceIpRanges.length === 1 ? /^(.+)\/32$/.exec(mapping.sourceIpRanges[0] ?? '')?.[1] : undefined;
  if (fromIp === undefined && single !== undefined) {
    fromIp = single;
    fromWhy = 'the one address the mapping admits';
  }
  if (fromIp === undefined) {
    return { ok: false, message: `Say where you connect from: :connect ${request.simRef} from <your global IP> (the mapping admits ${mapping.sourceIpRanges.join(', ')}).` };
  }
  if (!isGlobalAddress(fromIp)) return { ok: false, message: `"${fromIp}" is not a global IP address: a connection through Napter comes from one.` };

  const clientId = `playground-${as.userName}`;
  world.addClient({ id: clientId, label: `@${as.userName} in the local playground`, globalIp: fromIp });
  const attempt = world.attempt({ client: clientId, endpoint: `${mapping.ipAddress}:${mapping.port}`, sessionSec: request.sessionSec }, nowMs);
  const ingestDelayMs = sim.auditLogIngestDelayMs ?? world.state.options.auditLogIngestDelayMs;
  return { ok: true, sim, mapping, fromIp, fromWhy, attempt, ingestDelayMs };
}

/** The outcome as the terminal shows it: what happened, and the audit events with when they show. */
export function describeConnection(outcome: ConnectOutcome, userName: string, nowMs: number): string[] {
  if (!outcome.ok) return [outcome.message];
  const { sim, mapping, fromIp, fromWhy, attempt, ingestDelayMs } = outcome;
  const name = sim.tags['name'] ?? sim.simId;
  const lines = [
    `@${userName} connects from ${fromIp}${fromWhy === undefined ? '' : ` (${fromWhy})`} to ${name}, device port ${mapping.devicePort}, through the mapping opened at ${clockTime(mapping.createdAtMs)} UTC${mapping.tlsRequired ? ' (TLS required)' : ''}:`,
    `  ${attempt.outcome}: ${attempt.reason}`,
  ];
  if (attempt.events.length === 0) {
    lines.push('  Nothing reached Napter, so the audit log shows nothing of it.');
    return lines;
  }
  const events = attempt.events.map((event) => {
    const shownAt = event.createdAt + ingestDelayMs;
    // Napter's own milliseconds between ACCESS and its verdict are not worth a word; a session's end is.
    const later = shownAt - nowMs >= 1000 ? ` (in ${formatWait(shownAt - nowMs)}: :advance to get there)` : '';
    return `${event.type} ${clockTime(event.createdAt)}${later}`;
  });
  lines.push(`  Napter audit log (UTC): ${events.join(' · ')}`);
  if (ingestDelayMs > 0) lines.push(`  This SIM's events reach the audit log ${formatWait(ingestDelayMs)} after they happen.`);
  lines.push(`  Now: /napter diagnose ${name}`);
  return lines;
}

function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function formatWait(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 120 ? `${minutes}m` : `${Math.floor(minutes / 60)}h${minutes % 60 === 0 ? '' : `${minutes % 60}m`}`;
}
