import type { ClientFrame, ServerFrame } from '@frontdesk/protocol';
import type { Principal } from '../principal.ts';

/** What a frame handler may do with the socket the frame came on, beyond answering it. */
export interface FrameContext {
  /** The authenticated sender (the gateway refuses every frame but `hello` and `ping` before). */
  principal: Principal;
  /** From now on this socket gets the conversation's messages after `afterSeq`, in order. */
  follow(conversationId: string, afterSeq: number): void;
  /** Sends a frame to this socket alone (a call's media signalling belongs to the socket that opened the leg). */
  send(frame: ServerFrame): void;
  /** Runs once when this socket closes. */
  onClose(listener: () => void): void;
}

/** Frames the gateway itself handles: the handshake and the heartbeat. */
type TransportFrame = 'hello' | 'ping';
export type ModuleFrameType = Exclude<ClientFrame['type'], TransportFrame>;

/**
 * A module's handler of one frame type. A frame with an `id` is answered with what the handler
 * resolves to (`reply ok`) or throws (`reply` with the error's code); one without is not answered.
 */
export type FrameHandler<T extends ModuleFrameType> = (frame: Extract<ClientFrame, { type: T }>, ctx: FrameContext) => Promise<unknown>;

/** A module's part of the gateway's dispatch table (`<module>.frames.ts`). */
export type FrameHandlers<T extends ModuleFrameType = ModuleFrameType> = { [K in T]: FrameHandler<K> };
