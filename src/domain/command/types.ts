import type { MessageRef } from '../i18n/message-ref';

/** How the user named the SIM: a 15-digit IMSI, a SIM ID (19–20 digits), or the SIM's `name` tag. */
export type SimRef =
  | { readonly kind: 'imsi'; readonly imsi: string }
  | { readonly kind: 'simId'; readonly simId: string }
  | { readonly kind: 'name'; readonly name: string };

/** Presets from the guide: ssh 22, http 80, https 443, rdp 3389, vnc 5900; `tcp` is a bare port number. */
export type Protocol = 'ssh' | 'http' | 'https' | 'rdp' | 'vnc' | 'tcp';

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
    | { readonly kind: 'endpoint'; readonly ipAddress: string; readonly port: number };
}

export interface HelpCommand {
  readonly kind: 'help';
}

export type NapterCommand = OpenCommand | DiagnoseCommand | ListCommand | CloseCommand | HelpCommand;

/** A refusal that teaches: what was wrong (a catalog message) and the right form (a usage key). */
export interface UsageError {
  readonly kind: 'usage-error';
  readonly code: string;
  readonly message: MessageRef;
  /** Catalog key of the usage line for the subcommand concerned (or the general one). */
  readonly usageKey: string;
}

export const DEFAULT_DIAGNOSE_WINDOW_SEC = 24 * 60 * 60;
