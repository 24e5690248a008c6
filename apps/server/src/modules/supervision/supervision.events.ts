import type { SupervisionStep, Whisper } from '@frontdesk/protocol';

/**
 * What the supervision module announces, in the transaction that records it. `to` is who hears of
 * it live (agent ids, supervisors included); it never names a visitor.
 */
export interface SupervisionEvents {
  /** A supervisor entered a mode, took the conversation over, or stopped. */
  'supervision.changed': { appId: string; step: SupervisionStep; to: string[] };
  /** A supervisor whispered to the conversation's agent. */
  'supervision.whispered': { appId: string; whisper: Whisper; to: string[] };
}
