import type { Relay } from './cobrowse.service.ts';
import type { CobrowseSession, CobrowseStep } from '@frontdesk/protocol';

/** What the co-browse module announces, in the transaction that records it. */
export interface CobrowseEvents {
  /**
   * A session changed (consent, control, viewers, the end): `steps` are what happened. `agentId`
   * is the conversation's agent, told of every change even when not watching.
   */
  'cobrowse.changed': { appId: string; session: CobrowseSession; steps: CobrowseStep[]; agentId: string | null; viewersBefore: string[]; snapshotNeeded: boolean };
  /** A capture batch, an annotation or a control action passed the checks: for these parties' sockets (*published*). */
  'cobrowse.relayed': Relay;
}
