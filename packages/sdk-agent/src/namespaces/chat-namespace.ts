import type { Conversation } from '@frontdesk/protocol';
import { createAdminApi } from '../admin.ts';
import type { AgentCore } from '../agent-core.ts';
import type { AgentData } from '../agent-data.ts';
import { randomId } from '../browser-storage.ts';
import type { RestClient } from '../rest.ts';
import type { ChatNamespace, ConversationView } from '../types.ts';
import type { NamespaceContext } from './namespace-context.ts';

/**
 * TCCC `tccc.Chat`. A TCCC `sessionId` is a Frontdesk conversation id: the name is the TCCC
 * contract, everything behind it says conversation.
 */
export function createChatNamespace({ invoke, local, snapshot }: NamespaceContext, deps: { core: AgentCore; data: AgentData; rest: RestClient }): ChatNamespace {
  const { core, data, rest } = deps;
  // NOTE: the same REST calls as a supervisor's admin API (TCCC names here): shaped once, there.
  const supervision = createAdminApi(rest).conversations;
  return {
    accept: ({ sessionId }) => invoke('Chat.accept', sessionId),
    decline: ({ sessionId }) => invoke('Chat.decline', sessionId),
    claim: ({ sessionId }) => invoke<Conversation>('Chat.claim', sessionId),
    end: ({ sessionId }) => invoke<Conversation>('Chat.end', sessionId),
    transfer: ({ sessionId, skillGroupId, userId, note }) => invoke('Chat.transfer', sessionId, { skillGroupId, userId }, note),
    dismiss: ({ sessionId }) => void invoke('Chat.dismiss', sessionId),
    list: () => snapshot().conversations as readonly ConversationView[],
    get: ({ sessionId }) => snapshot().conversations.find((c) => c.conversation.id === sessionId) ?? null,
    send: ({ sessionId, text, clientId }) => invoke('Chat.send', sessionId, text, clientId ?? randomId()),
    sendFile: ({ sessionId, file, name, clientId }) => invoke('Chat.sendFile', sessionId, file, name, clientId ?? randomId()),
    retry: ({ clientId }) => invoke('Chat.retry', clientId),
    discard: ({ clientId }) => void invoke('Chat.discard', clientId),
    setTyping: ({ sessionId, isTyping }) => void invoke('Chat.setTyping', sessionId, isTyping),
    markRead: ({ sessionId, seq }) => invoke('Chat.markRead', sessionId, seq),
    loadHistory: ({ sessionId, limit }) => invoke('Chat.loadHistory', sessionId, limit),
    search: (opts = {}) => local(() => data.search(opts)),
    getVisitor: ({ sessionId }) => local(() => core.chat.getVisitor(sessionId)),
    getCannedResponses: (opts = {}) => local(() => data.cannedResponses(opts.query, opts.refresh ?? false)),
    saveCannedResponse: (input) => local(() => data.savePersonalCannedResponse(input)),
    deleteCannedResponse: ({ id }) => local(() => data.deletePersonalCannedResponse(id)),
    getWrapUpLabels: () => local(() => data.wrapUpLabels()),
    getWrapUp: ({ sessionId }) => local(() => data.wrapUp(sessionId)),
    setWrapUp: ({ sessionId, dispositionId, tagIds, note }) => local(() => data.setWrapUp(sessionId, { dispositionId, tagIds, note })),
    getNotes: ({ sessionId }) => local(() => data.notes(sessionId)),
    addNote: ({ sessionId, text }) => local(() => data.addNote(sessionId, text)),
    downloadFile: ({ url }) => local(() => rest.blob(url)),
    getChannel: ({ sessionId }) => local(() => data.channel(sessionId)),
    getChannelTemplates: ({ channelId }) => local(() => data.channelTemplates(channelId)),
    sendThroughChannel: ({ sessionId, message }) => local(() => data.sendThroughChannel(sessionId, message)),
    getWhispers: ({ sessionId }) => local(() => data.whispers(sessionId)),
    getSupervision: ({ sessionId }) => local(() => supervision.supervision(sessionId)),
    setSupervision: ({ sessionId, mode }) => local(() => supervision.supervise(sessionId, mode)),
    monitor: ({ sessionId }) => local(() => supervision.monitor(sessionId)),
    whisper: ({ sessionId, text, clientId }) => local(() => supervision.whisper(sessionId, text, clientId ?? randomId())),
    barge: ({ sessionId, text, clientId }) => local(() => supervision.barge(sessionId, text, clientId ?? randomId())),
    intercept: ({ sessionId }) => local(() => supervision.intercept(sessionId)),
    stopSupervision: ({ sessionId }) => local(async () => {
      await supervision.stopSupervising(sessionId);
      return undefined;
    }),
  };
}
