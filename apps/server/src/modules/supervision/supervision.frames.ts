import type { FrameHandlers } from '../../platform/realtime/frame-handlers.ts';
import type { SupervisionService } from './supervision.service.ts';

/** The supervision frames of the realtime protocol: the same commands as its REST routes, same checks. */
export function supervisionFrames(supervision: SupervisionService): FrameHandlers<'supervision.set' | 'supervision.whisper' | 'supervision.barge' | 'supervision.intercept'> {
  return {
    'supervision.set': (frame, { principal }) => supervision.setMode(principal, frame.conversationId, frame.mode),
    'supervision.whisper': async (frame, { principal }) => (await supervision.whisper(principal, frame.conversationId, frame)).whisper,
    'supervision.barge': async (frame, { principal }) => (await supervision.barge(principal, frame.conversationId, frame)).message,
    'supervision.intercept': (frame, { principal }) => supervision.intercept(principal, frame.conversationId),
  };
}
