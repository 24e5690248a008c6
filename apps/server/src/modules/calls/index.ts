/**
 * Calls (SPEC M18, M22–M24) will own calls, participants and recordings. Today it is its pure core:
 * `CallEngine` decides every transition of a call (one end per call, agent call capacity, the Easemob
 * codes and TCCC events of each transition); a shell will persist and apply its actions.
 */
export { CallEngine } from './engine/call-engine.ts';
export { CallRejection } from './engine/types.ts';
export type { CallAction, CallEngineOptions, CallErrorCode, CallEvent, CallState, CallSummary, EndReason, HungUpSide, Participant, PartyRef } from './engine/types.ts';
export { EASEMOB, type EasemobCode } from './engine/easemob-codes.ts';
export { easemobStateOf, type AgentCallActivity, type AgentStatusForCode, type EasemobStateCode } from '@frontdesk/protocol';
export { isAllowedEasemobTransition } from './engine/easemob-transitions.ts';
