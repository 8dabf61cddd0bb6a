import type { MessageRef } from '../domain/i18n/message-ref';

/**
 * Who may do what with the bot (`policy.example.yaml` shows every field). A request is allowed when at least one rule grants the
 * action to the user and admits the channel, the SIM, the port, the duration and the source range.
 * Admins may close any mapping; for every other action they need a rule like everyone else, so an
 * admin list never silently widens what can be opened. The requester may always close their own mapping.
 *
 * Example (`policy.example.yaml` at the repo root has a commented one):
 *
 *   admins: { users: [U0ADMIN], userGroups: [S0NETOPS] }
 *   rules:
 *     - name: field-engineers
 *       who: { userGroups: [S0FIELD] }
 *       channels: [C0FIELD]
 *       sims: [{ groupIds: [grp-field] }, { tags: { name: "gw-*", env: prod } }]
 *       ports: [22, 443]
 *       maxDurationSec: 3600
 *       maxSourcePrefixV4Width: 28
 *       maxSourcePrefixV6Width: 56
 *       actions: [open, diagnose, list, peek, ticket]
 */

export const POLICY_ACTIONS = ['open', 'diagnose', 'list', 'close', 'peek', 'ticket'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

/** Napter's own cap on a mapping's duration. */
export const NAPTER_MAX_DURATION_SEC = 8 * 60 * 60;

export interface PolicySubjects {
  readonly users: readonly string[];
  readonly userGroups: readonly string[];
}

/** Matches a SIM when every part it sets matches: the SIM's group is listed, and every tag matches its glob (`*`, `?`). */
export interface SimSelector {
  readonly groupIds?: readonly string[] | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

export interface PolicyRule {
  /** Shown in logs and denials; defaults to `rule #<n>`. */
  readonly name: string;
  readonly who: 'everyone' | PolicySubjects;
  /** Channel ids; 'any' when absent. */
  readonly channels: 'any' | readonly string[];
  /** A SIM matches when any selector matches; 'any' when absent. */
  readonly sims: 'any' | readonly SimSelector[];
  /** Device ports; 'any' when absent. */
  readonly ports: 'any' | readonly number[];
  readonly maxDurationSec: number;
  /** The widest IPv4 source prefix allowed: 24 means a /24 is the widest, a /16 is refused. */
  readonly maxSourcePrefixV4Width: number;
  readonly maxSourcePrefixV6Width: number;
  readonly actions: readonly PolicyAction[];
}

/**
 * The diagnosis's active probe (which the policy can turn off), and the device ports whose
 * protocol the team knows (a fleet that runs sshd on 2222), so the probe speaks it and TLS misuse is seen.
 *
 *   probe: { enabled: true, timeoutSec: 5, protocols: { 2222: ssh, 8443: https } }
 */
export interface ProbeSettings {
  readonly enabled: boolean;
  /** How long SORACOM waits for a device that says nothing (sendDownlinkTcp `timeout`, 1–60 s). */
  readonly timeoutSec: number;
  readonly protocols: Readonly<Record<number, 'ssh' | 'http' | 'https' | 'rdp' | 'vnc' | 'tcp'>>;
}

export const DEFAULT_PROBE_SETTINGS: ProbeSettings = { enabled: true, timeoutSec: 5, protocols: {} };

export interface Policy {
  readonly admins: PolicySubjects;
  readonly rules: readonly PolicyRule[];
  /** Absent: DEFAULT_PROBE_SETTINGS. */
  readonly probe?: ProbeSettings;
}

export interface AuthorizationRequest {
  readonly action: PolicyAction;
  readonly userId: string;
  /** The user's Slack user groups, resolved by the Slack layer for the ids `policyUserGroups()` names. */
  readonly userGroupIds: readonly string[];
  readonly channelId: string;
  readonly sim?: { readonly simId: string; readonly groupId?: string | undefined; readonly tags: Readonly<Record<string, string>> } | undefined;
  readonly devicePort?: number | undefined;
  readonly durationSec?: number | undefined;
  /** An address (taken as /32 or /128) or a CIDR. */
  readonly sourceCidr?: string | undefined;
  /** For `close`: the user who opened the mapping, when the bot knows. */
  readonly mappingOpenedBy?: string | undefined;
}

export interface PolicyLimits {
  readonly maxDurationSec: number;
  readonly maxSourcePrefixV4Width: number;
  readonly maxSourcePrefixV6Width: number;
}

export type AuthorizationDecision = { readonly allowed: true; readonly limits: PolicyLimits } | { readonly allowed: false; readonly reason: MessageRef };
