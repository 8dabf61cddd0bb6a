import { parseDuration } from '../domain/duration';
import { err, ok, type Result } from '../domain/result';
import type { ModalInput } from './render';

/**
 * What the playground's `:` commands take, parsed: pure functions from the typed text to values, with a
 * sentence for the user when the text is not what the command takes.
 */

/** `:click <label> [n]`: the label, and which of several matching buttons (1 = the newest). */
export function parseClick(argument: string): { readonly label: string; readonly index: number } {
  const match = /^(.*?)(?:\s+(\d+))?$/.exec(argument.trim());
  const label = match?.[1] ?? '';
  // A label that is only a number ("2") is a label, not an index.
  if (label === '') return { label: argument.trim(), index: 1 };
  return { label, index: Math.max(1, Number(match?.[2] ?? '1')) };
}

/**
 * The button a `:click` means. Candidates come newest first; the label matches exactly (ignoring case)
 * before it matches the start of a label, and the start before any part, so "Close" clicks a button
 * labelled "Close" even when a newer "Close now" is on screen. `index` counts within the best tier.
 */
export function chooseButton<T extends { readonly label: string }>(candidates: readonly T[], label: string, index = 1): T | undefined {
  const needle = label.trim().toLowerCase();
  if (needle === '') return undefined;
  const tiers = [
    (text: string) => text === needle,
    (text: string) => text.startsWith(needle),
    (text: string) => text.includes(needle),
  ];
  for (const matches of tiers) {
    const found = candidates.filter((candidate) => matches(candidate.label.trim().toLowerCase()));
    if (found.length > 0) return found[index - 1];
  }
  return undefined;
}

export interface Assignment {
  readonly field: string;
  readonly value: string;
}

/**
 * `imsi=295050910000001 reproduce="ssh times out" tried='rebooted it'`: fields with values, a value in
 * double or single quotes when it holds spaces; `\n` in a value is a line break (multi-line inputs), `\"`
 * a quote and `\\` a backslash.
 */
export function parseAssignments(text: string): Result<Assignment[], string> {
  const assignments: Assignment[] = [];
  const pattern = /\s*([^\s=]+)=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S*))/y;
  let rest = text.trim();
  while (rest !== '') {
    pattern.lastIndex = 0;
    const match = pattern.exec(rest);
    if (match === null) return err(`Expected field=value at "${rest.slice(0, 30)}" (quote a value with spaces: field="two words").`);
    const raw = match[2] ?? match[3] ?? match[4] ?? '';
    const value = raw.replace(/\\(.)/g, (_whole, escaped: string) => (escaped === 'n' ? '\n' : escaped));
    assignments.push({ field: match[1] ?? '', value });
    rest = rest.slice(match[0].length).trim();
  }
  return ok(assignments);
}

/** `state.values` as Slack builds it: block_id → action_id → the element's state. */
export type StateValues = Record<string, Record<string, Record<string, unknown>>>;

const TEXT_INPUTS = new Set(['plain_text_input', 'email_text_input', 'url_text_input', 'number_input']);

/**
 * What Slack sends on submit: every input's current value — the one typed here, else the value the app
 * filled in (`initial_value`), else empty. A field is named by its block id, or `block/action` when a
 * block id alone is not unique.
 */
export function submissionValues(inputs: readonly ModalInput[], assignments: readonly Assignment[]): Result<StateValues, string> {
  const given = new Map<ModalInput, string>();
  for (const assignment of assignments) {
    const matching = inputs.filter(
      (input) => `${input.blockId}/${input.actionId}` === assignment.field || `${input.blockId}.${input.actionId}` === assignment.field || input.blockId === assignment.field,
    );
    const input = matching[0];
    if (input === undefined || matching.length > 1) {
      const known = inputs.map((candidate) => `${candidate.blockId}/${candidate.actionId}`).join(', ');
      return err(`${matching.length > 1 ? 'Several inputs are' : 'No input is'} called "${assignment.field}"; the modal has: ${known}.`);
    }
    if (!TEXT_INPUTS.has(input.type)) return err(`"${assignment.field}" is a ${input.type}; only text inputs can be filled in here.`);
    given.set(input, assignment.value);
  }
  const values: StateValues = {};
  for (const input of inputs) {
    if (!TEXT_INPUTS.has(input.type)) continue;
    const value = given.get(input) ?? input.initialValue ?? '';
    values[input.blockId] = { ...values[input.blockId], [input.actionId]: { type: input.type, value: value === '' ? null : value } };
  }
  return ok(values);
}

export interface ConnectRequest {
  readonly simRef: string;
  readonly fromIp: string | undefined;
  readonly sessionSec: number | undefined;
}

/** `:connect <sim> [from <ip>] [for <duration>]`. */
export function parseConnect(argument: string): Result<ConnectRequest, string> {
  const usage = 'Usage: :connect <sim> [from <ip>] [for <duration>], e.g. :connect demo-healthy from 203.0.113.10 for 10m';
  const [simRef, ...rest] = argument.trim().split(/\s+/).filter((word) => word !== '');
  if (simRef === undefined) return err(usage);
  let fromIp: string | undefined;
  let sessionSec: number | undefined;
  for (let at = 0; at < rest.length; at += 2) {
    const keyword = rest[at]?.toLowerCase();
    const value = rest[at + 1];
    if (value === undefined) return err(usage);
    if (keyword === 'from') fromIp = value;
    else if (keyword === 'for') {
      const parsed = parseDuration(value);
      if (!parsed.ok) return err(`"${value}" is not a duration (e.g. 90s, 10m, 1h).`);
      sessionSec = parsed.value;
    } else return err(usage);
  }
  return ok({ simRef, fromIp, sessionSec });
}
