import type { FrameContext, FrameHandlers } from '../../platform/realtime/frame-handlers.ts';
import type { CallSupervision } from './call-supervision.ts';
import type { CallsService } from './calls.service.ts';
import { inviteeOf, transferTargetOf } from './calls.errors.ts';
import type { SignalSink } from './media-relay.ts';

type CallFrame =
  | 'call.start'
  | 'call.invite'
  | 'call.internal'
  | 'call.accept'
  | 'call.refuse'
  | 'call.hangup'
  | 'call.hold'
  | 'call.transfer'
  | 'call.consult'
  | 'call.consult.end'
  | 'call.add_party'
  | 'call.media'
  | 'call.rejoin'
  | 'call.publish'
  | 'call.renegotiate'
  | 'call.subscribe'
  | 'call.answer'
  | 'call.restart'
  | 'call.ice';

const sinkOf = (ctx: FrameContext): SignalSink => ({ send: ctx.send, onClose: ctx.onClose });

/** The call frames of the realtime protocol (packages/protocol/src/calls.ts). */
export function callFrames(calls: CallsService, supervision: CallSupervision): FrameHandlers<CallFrame | 'call.supervise' | 'call.intercept'> {
  return {
    'call.start': (frame, { principal }) => calls.start(principal, frame.conversationId, frame.kind),
    'call.invite': (frame, { principal }) => calls.invite(principal, frame.conversationId, frame.kind),
    'call.internal': (frame, { principal }) => calls.startInternal(principal, frame.calleeUserId, frame.kind),
    'call.accept': (frame, { principal }) => calls.accept(principal, frame.callId),
    'call.refuse': async (frame, { principal }) => {
      await calls.refuse(principal, frame.callId, frame.reason);
      return {};
    },
    'call.hangup': (frame, { principal }) => calls.hangUp(principal, frame.callId),
    'call.hold': (frame, { principal }) => calls.hold(principal, frame.callId, frame.held),
    'call.transfer': (frame, { principal }) => calls.transfer(principal, frame.callId, transferTargetOf(frame)),
    'call.consult': (frame, { principal }) => calls.consult(principal, frame.callId, frame.userId),
    'call.consult.end': (frame, { principal }) => calls.endConsult(principal, frame.callId, frame.how),
    'call.add_party': (frame, { principal }) => calls.addParty(principal, frame.callId, inviteeOf(frame)),
    'call.media': (frame, { principal }) => calls.setMedia(principal, frame.callId, { micMuted: frame.micMuted, cameraOff: frame.cameraOff }),
    'call.rejoin': (frame, { principal }) => calls.rejoin(principal, frame.callId),
    'call.publish': (frame, ctx) => calls.publish(ctx.principal, frame.callId, frame.offer, sinkOf(ctx)),
    'call.renegotiate': (frame, { principal }) => calls.renegotiate(principal, frame.callId, frame.legId, frame.offer),
    'call.subscribe': (frame, ctx) => calls.subscribe(ctx.principal, frame.callId, frame.publisher, sinkOf(ctx)),
    'call.answer': async (frame, { principal }) => {
      await calls.answer(principal, frame.callId, frame.legId, frame.answer);
      return {};
    },
    'call.restart': (frame, { principal }) => calls.restart(principal, frame.callId, frame.legId),
    'call.ice': (frame, { principal }) => calls.ice(principal, frame.callId, frame.legId, frame.candidate),
    'call.supervise': (frame, { principal }) => supervision.supervise(principal, frame.callId, frame.mode, frame.textOnly ?? false),
    'call.intercept': (frame, { principal }) => supervision.intercept(principal, frame.callId),
  };
}
