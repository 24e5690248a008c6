import type { CallSupervisionJoin, PartyRef, SupervisionMode } from '@frontdesk/protocol';
import type { AgentClient } from '@frontdesk/sdk-agent';
import { useEffect, useState } from 'react';

export interface SupervisedStream {
  party: PartyRef;
  stream: MediaStream;
}

export interface CallSupervisionState {
  /** The call this supervisor supervises by voice from this board, if any (one at a time). */
  callId: string | null;
  mode: SupervisionMode | null;
  /** The parties' media this supervisor receives (the visitor, the agent, supervisors who speak). */
  streams: SupervisedStream[];
  isBusy: boolean;
}

/**
 * A supervisor's call supervision from the board (SPEC M28) through the SDK (`Call.monitor`,
 * `Call.supervise`, `Call.stopSupervising`, `Call.intercept`): the SDK joins the call's media once
 * and a mode switch only changes who receives the supervisor. `onError` gets the server's message.
 */
export function useCallSupervision(client: AgentClient, onError: (message: string) => void) {
  const [state, setState] = useState<CallSupervisionState>({ callId: null, mode: null, streams: [], isBusy: false });
  useEffect(
    () =>
      client.on('remoteStream', ({ sessionId, party, stream }) => {
        setState((s) => {
          if (s.callId !== sessionId) return s;
          const others = s.streams.filter((x) => !(x.party.role === party.role && x.party.id === party.id));
          return { ...s, streams: stream ? [...others, { party, stream }] : others };
        });
      }),
    [client],
  );
  useEffect(
    () =>
      client.on('callUpdated', ({ call }) => {
        if (call.phase === 'ended') setState((s) => (s.callId === call.id ? { callId: null, mode: null, streams: [], isBusy: false } : s));
      }),
    [client],
  );

  async function act<T>(work: () => Promise<{ status: 'success'; data: T } | { status: 'error'; errorMsg: string }>): Promise<T | undefined> {
    setState((s) => ({ ...s, isBusy: true }));
    const result = await work();
    setState((s) => ({ ...s, isBusy: false }));
    if (result.status === 'success') return result.data;
    onError(result.errorMsg);
    return undefined;
  }

  return {
    state,
    /** Enters a mode on a call (joining its media the first time), or switches. */
    async setMode(callId: string, mode: SupervisionMode): Promise<void> {
      if (state.callId !== null && state.callId !== callId) await act(() => client.Call.stopSupervising({ sessionId: state.callId! }));
      // NOTE: one request whether joining or switching: the SDK opens the microphone and joins the media on the first.
      const joined = await act<CallSupervisionJoin>(() => client.Call.supervise({ sessionId: callId, mode }));
      // Streams that arrived before the answer are read from the SDK.
      const streams = client.Call.getMedia({ sessionId: callId })?.remoteStreams ?? [];
      if (joined) setState((s) => ({ ...s, callId, mode: joined.supervision?.mode ?? mode, streams: s.callId === callId ? s.streams : streams }));
    },
    async stop(): Promise<void> {
      if (state.callId === null) return;
      const callId = state.callId;
      await act(() => client.Call.stopSupervising({ sessionId: callId }));
      setState({ callId: null, mode: null, streams: [], isBusy: false });
    },
    /** Takes the call over: the agent leaves it, the supervisor talks with the visitor (its media goes on). */
    async takeOver(): Promise<boolean> {
      if (state.callId === null) return false;
      const callId = state.callId;
      const call = await act(() => client.Call.intercept({ sessionId: callId }));
      if (call) setState((s) => ({ ...s, mode: null }));
      return call !== undefined;
    },
  };
}

export type CallSupervisionControls = ReturnType<typeof useCallSupervision>;
