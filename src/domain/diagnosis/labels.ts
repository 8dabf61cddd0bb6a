import { msg, type MessageRef } from '../i18n/message-ref';
import { maskIp } from '../net/address';
import type { CauseId, Remedy, VerdictId } from './types';

/** Catalog references for the parts of a diagnosis the Slack layer names on its own. */
export const verdictTitle = (verdict: VerdictId): MessageRef => msg(`diagnosis.verdict.${verdict}.title`);

export const causeMessage = (cause: CauseId): MessageRef => msg(`diagnosis.cause.${cause}`);

const SIM_STATUSES = ['active', 'inactive', 'ready', 'standby', 'suspended', 'terminated'] as const;

/** A SIM's status in the reader's words, as the SORACOM User Console names it (`inactive` is 休止中); one it does not know, as SORACOM wrote it. */
export function simStatusLabel(status: string): MessageRef | string {
  const known = SIM_STATUSES.find((candidate) => candidate === status);
  return known === undefined ? status : msg(`diagnosis.sim-status.${known}`);
}

/** Button labels carry no full address: they are visible to the whole channel (`198.51.100.x`). */
export function remedyLabel(remedy: Remedy): MessageRef {
  switch (remedy.kind) {
    case 'reopen':
      return msg('diagnosis.remedy.reopen');
    case 'reopen-with-fix':
      if ('tlsRequired' in remedy.fix) return msg('diagnosis.remedy.reopen-tls-off');
      if ('port' in remedy.fix) return msg('diagnosis.remedy.reopen-port', { port: remedy.fix.port });
      return msg('diagnosis.remedy.reopen-source-ip', { address: maskIp(remedy.fix.sourceIp) });
    case 'probe':
      return msg('diagnosis.remedy.probe', { port: remedy.port });
    case 'packet-capture':
      return msg('diagnosis.remedy.packet-capture');
    case 'draft-ticket':
      return msg('diagnosis.remedy.draft-ticket');
  }
}
