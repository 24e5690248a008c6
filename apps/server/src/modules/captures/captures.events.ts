import type { CaptureKind, Message, ServerFrame } from '@frontdesk/protocol';

/** What the captures module announces (platform/events). */
export interface CaptureEvents {
  /** A call's snapshot or photo was stored as a file of its conversation (in the transaction of its message). */
  'capture.stored': { appId: string; kind: CaptureKind; callId: string; conversationId: string; visitorId: string; agentId: string | null; message: Message; at: number };
  /** Published: a photo request to the visitor, or its outcome to the agent who asked. */
  'capture.relayed': { appId: string; to: { role: 'visitor' | 'agent'; id: string }[]; frame: ServerFrame };
}
