import type { Events } from '../../events.ts';
import type { FrameHandlers } from '../../platform/realtime/frame-handlers.ts';
import type { CobrowseService } from './cobrowse.service.ts';

/**
 * The co-browse frames of the realtime protocol. Commands are answered with the session; the
 * capture's batches and viewers' inputs are not answered: one that fails the checks is dropped.
 */
export function cobrowseFrames(cobrowse: CobrowseService, events: Events): FrameHandlers<'cobrowse.list' | 'cobrowse.start' | 'cobrowse.consent' | 'cobrowse.control' | 'cobrowse.end' | 'cobrowse.view' | 'cobrowse.data' | 'cobrowse.input'> {
  return {
    'cobrowse.list': (frame, { principal }) => cobrowse.list(principal, frame.conversationId),
    'cobrowse.start': (frame, { principal }) => cobrowse.start(principal, frame.conversationId),
    'cobrowse.consent': (frame, { principal }) => cobrowse.consent(principal, frame.sessionId, frame.accept),
    'cobrowse.control': (frame, { principal }) => cobrowse.control(principal, frame.sessionId, frame.action),
    'cobrowse.end': (frame, { principal }) => cobrowse.end(principal, frame.sessionId),
    'cobrowse.view': async (frame, { principal, onClose }) => {
      const { session, joined } = await cobrowse.view(principal, frame.sessionId, frame.viewing);
      // A viewer whose socket closes stops watching (and gives control back); it watches again when it returns.
      if (joined) onClose(() => void cobrowse.view(principal, frame.sessionId, false).catch(() => undefined));
      return session;
    },
    'cobrowse.data': async (frame, { principal }) => {
      const { type: _type, ...data } = frame;
      const relay = await cobrowse.relayData(principal, data);
      if (relay) await events.published('cobrowse.relayed', relay);
    },
    'cobrowse.input': async (frame, { principal }) => {
      const relay = await cobrowse.relayInput(principal, frame.sessionId, frame.input);
      if (relay) await events.published('cobrowse.relayed', relay);
    },
  };
}
