import type { FrameContext, FrameHandlers } from '../../platform/realtime/frame-handlers.ts';
import type { SignalSink } from './media-relay.ts';
import type { ScreenShareService } from './screen-share.service.ts';

type ScreenShareFrame = 'call.share.invite' | 'call.share.decline' | 'call.share.publish' | 'call.share.stop' | 'call.share.subscribe' | 'call.share.answer' | 'call.share.ice' | 'call.share.renegotiate' | 'call.share.restart' | 'call.share.state';

const sinkOf = (ctx: FrameContext): SignalSink => ({ send: ctx.send, onClose: ctx.onClose });

/** The screen share frames of the realtime protocol (packages/protocol/src/screen-share.ts). */
export function screenShareFrames(share: ScreenShareService): FrameHandlers<ScreenShareFrame> {
  return {
    'call.share.invite': async (frame, { principal }) => {
      await share.invite(principal, frame.callId);
      return {};
    },
    'call.share.decline': async (frame, { principal }) => {
      await share.decline(principal, frame.callId, frame.reason);
      return {};
    },
    'call.share.publish': (frame, ctx) => share.publish(ctx.principal, frame.callId, frame.offer, sinkOf(ctx)),
    'call.share.stop': async (frame, { principal }) => {
      await share.stop(principal, frame.callId);
      return {};
    },
    'call.share.subscribe': (frame, ctx) => share.subscribe(ctx.principal, frame.callId, frame.sharer, sinkOf(ctx)),
    'call.share.answer': async (frame, { principal }) => {
      await share.answer(principal, frame.callId, frame.legId, frame.answer);
      return {};
    },
    'call.share.ice': (frame, { principal }) => share.ice(principal, frame.callId, frame.legId, frame.candidate),
    'call.share.renegotiate': (frame, { principal }) => share.renegotiate(principal, frame.callId, frame.legId, frame.offer),
    'call.share.restart': (frame, { principal }) => share.restart(principal, frame.callId, frame.legId),
    'call.share.state': (frame, { principal }) => share.state(principal, frame.callId),
  };
}
