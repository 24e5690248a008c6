/**
 * The pure core of the read model: one ended conversation's routing history and messages in,
 * the rows reports aggregate out (docs/reports.md has the formula of every field). No I/O: the
 * facts-write job reads the inputs through other modules' public faces and stores what this returns.
 */

/** One step of the conversation's routing history (routing's `conversationRouting().history`). */
export interface HistoryStep {
  type: string;
  at: number;
  data: Record<string, unknown>;
}

export interface FactMessage {
  senderType: 'visitor' | 'agent' | 'bot' | 'system';
  senderId: string | null;
  kind: string;
  createdAt: number;
}

export interface FactConversation {
  id: string;
  appId: string;
  channelId: string | null;
  visitorId: string;
  createdAt: number;
  closedAt: number;
  closeBy: string | null;
}

export type ConversationOutcome = 'answered' | 'abandoned' | 'released' | 'bot_resolved' | 'unrouted';
export type VisitOutcome = 'answered' | 'abandoned' | 'released' | 'overflowed';
export type OfferOutcome = 'accepted' | 'declined' | 'missed' | 'withdrawn';

export interface ConversationFact {
  conversationId: string;
  appId: string;
  channelId: string | null;
  visitorId: string;
  /** The first queue it entered (the built-in `manual` for claims by hand); null if never queued. */
  queueId: string | null;
  arrivedAt: number;
  queuedAt: number | null;
  answeredAt: number | null;
  endedAt: number;
  /** From the first queue entry to the first answer, or to the end when never answered. */
  waitMs: number | null;
  outcome: ConversationOutcome;
  withBot: boolean;
  handedOff: boolean;
  transfers: number;
  firstAgentId: string | null;
  lastAgentId: string | null;
  agentIds: string[];
  handleMs: number;
  firstResponseMs: number | null;
  visitorMessages: number;
  agentMessages: number;
  botMessages: number;
  closeBy: string | null;
}

/** One conversation's stay in one queue; a second entry into the same queue is the same visit. */
export interface QueueVisitFact {
  conversationId: string;
  queueId: string;
  channelId: string | null;
  enteredAt: number;
  answeredAt: number | null;
  waitMs: number;
  outcome: VisitOutcome;
  /** Answered from this queue, then transferred on by its agent or a supervisor. */
  transferred: boolean;
  /** The agent who answered it from this queue, and when that assignment ended. */
  agentId: string | null;
  handleMs: number | null;
  assignmentEndedAt: number | null;
}

export interface AssignmentFact {
  conversationId: string;
  agentId: string;
  queueId: string | null;
  channelId: string | null;
  assignedAt: number;
  endedAt: number;
  handleMs: number;
  firstResponseMs: number | null;
  responses: number;
  responseTotalMs: number;
  transferredOut: boolean;
}

export interface OfferFact {
  conversationId: string;
  agentId: string;
  queueId: string | null;
  offeredAt: number;
  outcome: OfferOutcome;
}

export interface ConversationFacts {
  conversation: ConversationFact;
  visits: QueueVisitFact[];
  assignments: AssignmentFact[];
  offers: OfferFact[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** A message an agent wrote to the visitor (notices of joins and transfers are `system`). */
const isAgentReply = (m: FactMessage) => m.senderType === 'agent' && m.kind !== 'system';

/** What one assignment's messages say: its first response and each response to the visitor's words. */
function responsesOf(messages: readonly FactMessage[], agentId: string, fromMs: number, toMs: number) {
  let firstResponseMs: number | null = null;
  let waitingSince: number | null = null;
  let responses = 0;
  let responseTotalMs = 0;
  for (const m of messages) {
    if (m.createdAt > toMs) break;
    if (m.senderType === 'visitor' && m.kind !== 'system') {
      // NOTE: the visitor's first unanswered words start the clock, but never before the agent had
      // the conversation: waiting in the queue is the queue's figure, not the agent's.
      if (waitingSince === null) waitingSince = Math.max(m.createdAt, fromMs);
      continue;
    }
    if (!isAgentReply(m)) continue;
    // Any staff reply answers the visitor's words; only this agent's, while it holds the conversation, count for it.
    if (m.createdAt < fromMs || m.senderId !== agentId) {
      waitingSince = null;
      continue;
    }
    if (firstResponseMs === null) firstResponseMs = m.createdAt - fromMs;
    if (waitingSince !== null) {
      responses++;
      responseTotalMs += m.createdAt - waitingSince;
      waitingSince = null;
    }
  }
  return { firstResponseMs, responses, responseTotalMs };
}

export function buildConversationFacts(conversation: FactConversation, history: readonly HistoryStep[], messages: readonly FactMessage[]): ConversationFacts {
  const endedAt = conversation.closedAt;
  const visits = new Map<string, QueueVisitFact & { leftAt: number | null }>();
  const assignments: AssignmentFact[] = [];
  const offers: OfferFact[] = [];
  let currentQueue: string | null = null;
  let firstQueuedAt: number | null = null;
  let firstQueue: string | null = null;
  let released = false;
  let transfers = 0;
  let current: { agentId: string; queueId: string | null; assignedAt: number; visit: string | null } | null = null;
  const openOffers = new Map<string, OfferFact>();

  const endAssignment = (at: number, transferredOut: boolean) => {
    if (!current) return;
    const visit = current.visit ? visits.get(current.visit) : undefined;
    if (visit && visit.agentId === current.agentId && visit.assignmentEndedAt === null) {
      visit.assignmentEndedAt = at;
      visit.handleMs = at - current.assignedAt;
      if (transferredOut) visit.transferred = true;
    }
    assignments.push({
      conversationId: conversation.id,
      agentId: current.agentId,
      queueId: current.queueId,
      channelId: conversation.channelId,
      assignedAt: current.assignedAt,
      endedAt: at,
      handleMs: at - current.assignedAt,
      transferredOut,
      ...responsesOf(messages, current.agentId, current.assignedAt, at),
    });
    current = null;
  };
  const leaveVisit = (at: number, outcome: VisitOutcome) => {
    const visit = currentQueue ? visits.get(currentQueue) : undefined;
    if (visit && visit.answeredAt === null && visit.leftAt === null) {
      visit.leftAt = at;
      visit.waitMs = at - visit.enteredAt;
      visit.outcome = outcome;
    }
  };

  let pendingTransfer = false;
  for (const step of history) {
    const agentId = str(step.data.agentId);
    switch (step.type) {
      case 'session.queued': {
        const queueId = str(step.data.queueId)!;
        if (currentQueue && currentQueue !== queueId && !current) leaveVisit(step.at, 'overflowed');
        if (current) endAssignment(step.at, true);
        currentQueue = queueId;
        firstQueuedAt ??= step.at;
        firstQueue ??= queueId;
        const seen = visits.get(queueId);
        if (!seen) visits.set(queueId, { conversationId: conversation.id, queueId, channelId: conversation.channelId, enteredAt: step.at, answeredAt: null, waitMs: 0, outcome: 'abandoned', transferred: false, agentId: null, handleMs: null, assignmentEndedAt: null, leftAt: null });
        else if (seen.answeredAt === null) seen.leftAt = null;
        break;
      }
      case 'offer':
        if (agentId) {
          const offer: OfferFact = { conversationId: conversation.id, agentId, queueId: currentQueue, offeredAt: step.at, outcome: 'withdrawn' };
          offers.push(offer);
          openOffers.set(agentId, offer);
        }
        break;
      case 'offer.withdrawn': {
        const offer = agentId ? openOffers.get(agentId) : undefined;
        if (offer) {
          const reason = str(step.data.reason);
          offer.outcome = reason === 'declined' ? 'declined' : reason === 'timed_out' ? 'missed' : 'withdrawn';
          openOffers.delete(agentId!);
        }
        break;
      }
      case 'transfer':
        if (step.data.intercept !== true) transfers++;
        pendingTransfer = true;
        break;
      case 'unassign':
        if (current && current.agentId === agentId) endAssignment(step.at, pendingTransfer);
        break;
      case 'assign': {
        if (!agentId) break;
        if (current) endAssignment(step.at, true);
        pendingTransfer = false;
        const offer = openOffers.get(agentId);
        if (offer) {
          offer.outcome = 'accepted';
          openOffers.delete(agentId);
        }
        const queueId = str(step.data.queueId) ?? currentQueue;
        const visit = currentQueue ? visits.get(currentQueue) : undefined;
        let visitKey: string | null = null;
        if (visit && visit.answeredAt === null) {
          visit.answeredAt = step.at;
          visit.waitMs = step.at - visit.enteredAt;
          visit.outcome = 'answered';
          visit.agentId = agentId;
          visitKey = visit.queueId;
        }
        current = { agentId, queueId, assignedAt: step.at, visit: visitKey };
        break;
      }
      case 'session.released':
        released = true;
        leaveVisit(step.at, 'released');
        break;
      case 'session.ended':
        if (current) endAssignment(step.at, false);
        leaveVisit(step.at, 'abandoned');
        break;
    }
  }
  if (current) endAssignment(endedAt, false);
  leaveVisit(endedAt, 'abandoned');

  const firstAssign = assignments[0];
  const withBot = messages.some((m) => m.senderType === 'bot');
  const outcome: ConversationOutcome = firstAssign ? 'answered' : released ? 'released' : firstQueuedAt !== null ? 'abandoned' : withBot ? 'bot_resolved' : 'unrouted';
  const agentIds = [...new Set(assignments.map((a) => a.agentId))];
  const firstReply = firstAssign ? messages.find((m) => isAgentReply(m) && m.createdAt >= firstAssign.assignedAt) : undefined;
  return {
    conversation: {
      conversationId: conversation.id,
      appId: conversation.appId,
      channelId: conversation.channelId,
      visitorId: conversation.visitorId,
      queueId: firstQueue,
      arrivedAt: conversation.createdAt,
      queuedAt: firstQueuedAt,
      answeredAt: firstAssign?.assignedAt ?? null,
      endedAt,
      waitMs: firstQueuedAt === null ? null : (firstAssign?.assignedAt ?? endedAt) - firstQueuedAt,
      outcome,
      withBot,
      handedOff: withBot && firstQueuedAt !== null,
      transfers,
      firstAgentId: firstAssign?.agentId ?? null,
      lastAgentId: assignments.at(-1)?.agentId ?? null,
      agentIds,
      handleMs: assignments.reduce((sum, a) => sum + a.handleMs, 0),
      firstResponseMs: firstAssign && firstReply ? firstReply.createdAt - firstAssign.assignedAt : null,
      visitorMessages: messages.filter((m) => m.senderType === 'visitor').length,
      agentMessages: messages.filter(isAgentReply).length,
      botMessages: messages.filter((m) => m.senderType === 'bot').length,
      closeBy: conversation.closeBy,
    },
    visits: [...visits.values()].map(({ leftAt: _leftAt, ...v }) => v),
    assignments,
    offers,
  };
}
