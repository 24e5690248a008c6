import type { QueuePositionEvent } from '@frontdesk/protocol';
import type { z } from 'zod';

/** What the conversation flow announces (published, no transaction). */
export interface FlowEvents {
  /**
   * A waiting visitor's place in the queue and the wait estimate, for its sockets on this node
   * (every node reminds the visitors connected to it).
   */
  'visitor.queue-position': { appId: string; visitorId: string; frame: z.infer<typeof QueuePositionEvent> };
}
