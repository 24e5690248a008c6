/**
 * NOTE: routing holds one agent per session, and an internal call occupies two agents: the caller's
 * call place is the session named by the call's id (as for any call an agent places), the callee's
 * the session named here. Both end with the call (call-effects.ts).
 */
export function internalCalleeSession(callId: string): string {
  return `${callId}.callee`;
}
