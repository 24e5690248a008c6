import type { ClientFrame, ServerFrame } from '@frontdesk/protocol';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** The call frames with a reply (`call.publish`, `call.subscribe`, `call.media`, `call.share.publish`…), without their request id. */
export type CallRequestFrame = DistributiveOmit<Extract<ClientFrame, { type: `call.${string}`; id: string }>, 'id'>;
/** A trickled candidate of a call's leg or of a shared screen's: no reply. */
export type CallIceFrame = Extract<ClientFrame, { type: 'call.ice' | 'call.share.ice' }>;
/** What the server says of this client's legs and of the other parties' media. */
export type CallSignalFrame = Extract<ServerFrame, { type: 'call.ice' | 'call.publisher' | 'call.ice-failed' }>;

/** How a call's media and its screen shares talk to the server: the SDK's own socket. */
export interface CallSignalling {
  /** A request with a reply; rejects with an SdkError (the server's code, or the SDK's when the socket is down). */
  request<T>(frame: CallRequestFrame): Promise<T>;
  /** A frame without reply (dropped while the socket is down: candidates are gathered again on the next leg). */
  notify(frame: CallIceFrame): void;
}
