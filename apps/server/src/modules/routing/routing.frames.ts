import { DomainError } from '../../platform/errors.ts';
import type { FrameHandlers } from '../../platform/realtime/frame-handlers.ts';
import type { RoutingService } from './routing.service.ts';

/** The routing frames of the realtime protocol: an agent's status and its offers. */
export function routingFrames(routing: RoutingService): FrameHandlers<'agent.status.set' | 'offer.accept' | 'offer.decline'> {
  return {
    'agent.status.set': async (frame, { principal }) => {
      if (principal.kind !== 'agent') throw new DomainError('FD_AUTH_FORBIDDEN', 'only an agent has a status');
      return routing.setStatus(principal, principal.agentId, frame.status, frame.reason);
    },
    'offer.accept': async (frame, { principal }) => {
      await routing.accept(principal, frame.conversationId);
      return {};
    },
    'offer.decline': async (frame, { principal }) => {
      await routing.decline(principal, frame.conversationId);
      return {};
    },
  };
}
