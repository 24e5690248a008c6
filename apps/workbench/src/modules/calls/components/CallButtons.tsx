import type { CallKind } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { Button, Icon, useToast } from '../../../ui/index.ts';
import { useCalls, useCallsStore } from '../hooks/use-calls.ts';
import { callStrings } from '../locales/index.ts';
import { callErrorText } from '../state/call-labels.ts';

/** The conversation header's call buttons: call its visitor, with voice or video (Easemob videoInviteCurrentVisitor), for agents who handle calls. */
export function CallButtons({ conversationId }: { conversationId: string }) {
  const client = useClient();
  const store = useCallsStore();
  const { current } = useCalls();
  const toast = useToast();
  const s = callStrings();
  const [isBusy, setIsBusy] = useState(false);
  const isInCall = current !== null && current.call.phase !== 'ended';
  // An agent who handles no calls (admin: what this agent handles) is offered none.
  const media = client.Agent.me()?.mediaTypes ?? [];
  if (!media.includes('audio') && !media.includes('video')) return null;
  if (store.liveCallOf(conversationId) || isInCall) return null;

  async function call(kind: CallKind) {
    setIsBusy(true);
    const result = kind === 'video' ? await client.Video.inviteCurrentVisitor({ sessionId: conversationId }) : await client.Call.inviteCurrentVisitor({ sessionId: conversationId });
    setIsBusy(false);
    if (result.status === 'error') toast({ message: callErrorText(result.errorCode, result.errorMsg, s), tone: 'danger', durationMs: 8000 });
  }

  return (
    <>
      <Button onClick={() => void call('audio')} isBusy={isBusy} aria-label={s.callVisitorLabel} title={s.callVisitorLabel} data-testid="call-visitor-audio">
        <Icon name="phone" /> {s.callVisitor}
      </Button>
      <Button onClick={() => void call('video')} isBusy={isBusy} aria-label={s.videoCallVisitorLabel} title={s.videoCallVisitorLabel} data-testid="call-visitor-video">
        <Icon name="video" /> {s.videoCallVisitor}
      </Button>
    </>
  );
}
