import type { MessageKey, MessageRef } from '../i18n/message-ref';

/** How the user named the SIM: a 15-digit IMSI, a SIM ID (18–20 digits, an ICCID), or the SIM's `name` tag. */
export type SimRef =
  | { readonly kind: 'imsi'; readonly imsi: string }
  | { readonly kind: 'simId'; readonly simId: string }
  | { readonly kind: 'name'; readonly name: string };

/** Presets from the guide: ssh 22, http 80, https 443, rdp 3389, vnc 5900; `tcp` is a bare port number. */
export type Protocol = 'ssh' | 'http' | 'https' | 'rdp' | 'vnc' | 'tcp';
export type PresetProtocol = Exclude<Protocol, 'tcp'>;

export const PROTOCOL_PRESET_PORTS: Readonly<Record<PresetProtocol, number>> = {
  ssh: 22,
  http: 80,
  https: 443,
  rdp: 3389,
  vnc: 5900,
};

/** Where the mapping may be reached from. `me` runs the IP capture flow; `last` reuses the last confirmed IP. */
export type SourceSpec =
  | { readonly kind: 'me' }
  | { readonly kind: 'last' }
  /** Normalised CIDR (an address alone becomes /32 or /128); already checked global and not 0.0.0.0/0. */
  | { readonly kind: 'cidr'; readonly cidr: string };

export interface OpenCommand {
  readonly kind: 'open';
  readonly sim: SimRef;
  readonly protocol: Protocol;
  readonly devicePort: number;
  readonly durationSec: number;
  readonly source: SourceSpec;
  readonly tlsRequired: boolean;
}

export interface DiagnoseCommand {
  readonly kind: 'diagnose';
  readonly sim: SimRef;
  /** Window length back from now. Default 24 h. */
  readonly sinceSec: number;
}

export interface ListCommand {
  readonly kind: 'list';
  readonly sim: SimRef | undefined;
}

export interface CloseCommand {
  readonly kind: 'close';
  readonly target:
    | { readonly kind: 'sim'; readonly sim: SimRef }
    /** The public Napter entry point, as DELETE takes it. */
    | { readonly kind: 'endpoint'; readonly ipAddress: string; readonly port: number }
    /** The entry point by its hostname (`abcd-1234.napter.soracom.io:40123`, lower case): look it up among the mappings. */
    | { readonly kind: 'hostname'; readonly hostname: string; readonly port: number };
}

/**
 * `history [<sim>] [since <duration>]`: who opened, extended, reused, closed or was denied what, from the
 * bot's ledger (kept beyond the audit log's 24 hours), with the connections the log showed on each mapping.
 */
export interface HistoryCommand {
  readonly kind: 'history';
  /** Absent: every SIM the viewer may see. */
  readonly sim: SimRef | undefined;
  /** Window length back from now. Default 7 days. */
  readonly sinceSec: number;
}

export type Subcommand = 'open' | 'diagnose' | 'list' | 'close' | 'history' | 'help';
export const SUBCOMMANDS: readonly Subcommand[] = ['open', 'diagnose', 'list', 'close', 'history', 'help'];

export interface HelpCommand {
  readonly kind: 'help';
  /** `help open` asks for one subcommand's usage; absent for the whole help. */
  readonly topic?: Exclude<Subcommand, 'help'>;
}

export type NapterCommand = OpenCommand | DiagnoseCommand | ListCommand | CloseCommand | HistoryCommand | HelpCommand;

export const USAGE_ERROR_CODES = [
  'input-too-long',
  'unknown-subcommand',
  'missing-sim',
  'invalid-sim',
  'unknown-option',
  'option-twice',
  'conflicting-protocols',
  'tcp-only',
  'invalid-port',
  'missing-value',
  'invalid-duration',
  'duration-over-cap',
  'tls-not-supported',
  'invalid-source',
  'too-many-arguments',
  'missing-target',
  'endpoint-needs-port',
] as const;
export type UsageErrorCode = (typeof USAGE_ERROR_CODES)[number];

/** A refusal that teaches: what was wrong (a catalog message) and the right form (a usage key). */
export interface UsageError {
  readonly kind: 'usage-error';
  readonly code: UsageErrorCode;
  readonly message: MessageRef;
  /** Catalog key of the usage line for the subcommand concerned (or the general one). */
  readonly usageKey: MessageKey;
}

export const DEFAULT_DIAGNOSE_WINDOW_SEC = 24 * 60 * 60;
/** The ledger is the bot's own and kept indefinitely; a week is what one usually asks about. The parser's cap (366 days) applies. */
export const DEFAULT_HISTORY_WINDOW_SEC = 7 * 24 * 60 * 60;
/** The audit log keeps 24 h for free and up to 366 days with the paid option: looking further back finds nothing. */
export const MAX_DIAGNOSE_WINDOW_SEC = 366 * 24 * 60 * 60;
/** A field engineer's most common Napter use; `open gw-01` alone means SSH. */
export const DEFAULT_OPEN_PROTOCOL: PresetProtocol = 'ssh';
