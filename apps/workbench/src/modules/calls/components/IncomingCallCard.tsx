import { useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { formatDuration } from '../../../app/format.ts';
import { format } from '../../../app/locale.ts';
import { Badge, Button, Icon, useToast } from '../../../ui/index.ts';
import { callStrings } from '../locales/index.ts';
import { callErrorText, peerName } from '../state/call-labels.ts';
import { isInviteFor } from '../state/call-parties.ts';
import { useAgentDirectory } from '../../conversation/hooks/use-agent-names.ts';
import type { CallEntry } from '../state/calls-store.ts';

/** A call ringing for this agent: who calls, voice or video, the time left, accept or decline, and its conversation. */
export function IncomingCallCard({ entry, now, canOpen, onOpen }: { entry: CallEntry; now: number; canOpen: boolean; onOpen: (conversationId: string) => void }) {
  const client = useClient();
  const toast = useToast();
  const s = callStrings();
  const [isBusy, setIsBusy] = useState(false);
  const { call } = entry;
  const isVideo = call.kind === 'video';
  const directory = useAgentDirectory();
  // An invite into another agent's visitor call: who invites, and into which call (its visitor).
  const isInvite = isInviteFor(call, client.Agent.me()?.id ?? null);
  const secondsLeft = entry.expiresAt ? Math.max(0, (entry.expiresAt - now) / 1000) : null;

  async function accept() {
    setIsBusy(true);
    const result = isVideo ? await client.Video.accept({ sessionId: call.id }) : await client.Call.accept({ sessionId: call.id });
    setIsBusy(false);
    if (result.status === 'error') {
      toast({ message: callErrorText(result.errorCode, result.errorMsg, s), tone: 'danger' });
      // The camera or microphone could not open: the ring goes to the next agent rather than ringing out.
      if (result.errorCode.startsWith('FD_SDK_MEDIA')) void client.Call.hungUp({ sessionId: call.id });
    } else if (canOpen && call.conversationId !== null) onOpen(call.conversationId);
  }

  async function decline() {
    setIsBusy(true);
    const result = await client.Call.hungUp({ sessionId: call.id });
    setIsBusy(false);
    if (result.status === 'error') toast({ message: callErrorText(result.errorCode, result.errorMsg, s), tone: 'warning' });
  }

  return (
    <div className="wb-offer wb-offer--offered wb-offer--call" role="alert" data-testid="incoming-call" data-call-id={call.id} data-call-kind={call.kind} data-invite={isInvite ? 'true' : undefined}>
      <span className="wb-offer__icon"><Icon name={isVideo ? 'video' : 'phone'} /></span>
      <div className="wb-offer__text">
        <strong>{isInvite ? s.inviteCall : isVideo ? s.incomingVideo : s.incomingAudio}</strong>
        {isInvite ? (
          <span data-testid="incoming-invite">{format(s.invitedBy, { name: directory.get(call.mainAgentId ?? '') ?? s.roleAgent, visitor: peerName(call, null, entry.nickname) })}</span>
        ) : call.direction === 'internal' ? (
          <span data-testid="incoming-internal">{format(s.incomingInternal, { name: peerName(call, client.Agent.me()?.id ?? null, entry.nickname) })} · {s.internalCall}</span>
        ) : (
          <span>{peerName(call, null, entry.nickname)}</span>
        )}
      </div>
      {secondsLeft !== null && <Badge tone="warning" aria-label={s.timeLeft}>{formatDuration(secondsLeft)}</Badge>}
      <div className="wb-offer__actions">
        {canOpen && call.conversationId !== null && <Button variant="ghost" onClick={() => onOpen(call.conversationId!)}>{s.openConversation}</Button>}
        <Button variant="danger" onClick={() => void decline()} disabled={isBusy}>{s.decline}</Button>
        <Button variant="primary" className="wb-call__accept" onClick={() => void accept()} disabled={isBusy}>
          <Icon name={isVideo ? 'video' : 'phone'} /> {s.accept}
        </Button>
      </div>
    </div>
  );
}
