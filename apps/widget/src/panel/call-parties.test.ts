import type { Call, VisitorClient } from '@frontdesk/sdk-visitor';
import { describe, expect, it } from 'vitest';
import { CallModel } from './call-model.ts';
import { isInvitedGuest, remoteParties, withRemoteStream } from './call-parties.ts';

type Participant = Call['participants'][number];
const leg = (role: 'agent' | 'visitor', userId: string, state: Participant['leg']): Participant =>
  ({ seq: 0, role, userId, leg: state, micMuted: false, cameraOff: false, ringAt: null, acceptedAt: null, connectedAt: null, leftAt: null, leftReason: null, isStreamOffline: false }) as Participant;
const call = (participants: Participant[], patch: Partial<Call> = {}): Call =>
  ({ id: 'call_1', conversationId: 'conv_1', kind: 'video', direction: 'inbound', phase: 'active', visitorId: 'vis_me', mainAgentId: 'agt_1', participants, createdAt: 1, ...patch }) as Call;
const stream = (id: string) => ({ id }) as unknown as MediaStream;

describe('the widget\'s parties of a call', () => {
  it('one stream per party: a new one replaces its own, null removes only its own', () => {
    let streams = withRemoteStream(new Map(), { role: 'agent', id: 'agt_1' }, stream('a'));
    streams = withRemoteStream(streams, { role: 'visitor', id: 'vis_2' }, stream('b'));
    streams = withRemoteStream(streams, { role: 'agent', id: 'agt_1' }, stream('c'));
    expect([...streams.keys()]).toEqual(['agent:agt_1', 'visitor:vis_2']);
    expect(streams.get('agent:agt_1')).toEqual(stream('c'));
    expect([...withRemoteStream(streams, { role: 'visitor', id: 'vis_2' }, null).keys()]).toEqual(['agent:agt_1']);
  });

  it('the tiles are the other parties in the call, once each; a guest is a visitor rung into another visitor\'s call', () => {
    const c = call([leg('visitor', 'vis_me', 'connected'), leg('agent', 'agt_1', 'connected'), leg('agent', 'agt_2', 'ringing'), leg('visitor', 'vis_2', 'connecting'), leg('agent', 'agt_3', 'left')]);
    expect(remoteParties(c, 'vis_me').map((p) => p.userId)).toEqual(['agt_1', 'vis_2']);
    expect(remoteParties(c, 'vis_2').map((p) => p.userId)).toEqual(['vis_me', 'agt_1']);
    expect([isInvitedGuest(c, 'vis_me'), isInvitedGuest(c, 'vis_2'), isInvitedGuest(c, 'vis_x'), isInvitedGuest(c, null)]).toEqual([false, true, false, false]);
  });

  it('the call model keeps each party\'s stream: the third party leaving removes only its own; the call ending, all', () => {
    const handlers = new Map<string, (payload: unknown) => void>();
    const client = {
      visitorId: 'vis_me',
      on: (name: string, handler: (payload: unknown) => void) => (handlers.set(name, handler), () => handlers.delete(name)),
      callMedia: () => null,
    } as unknown as VisitorClient;
    const model = new CallModel({ conversationId: () => 'conv_1' });
    model.attach(client);
    const emit = (name: string, payload: unknown) => handlers.get(name)!(payload);
    const live = call([leg('visitor', 'vis_me', 'connected'), leg('agent', 'agt_1', 'connected')]);
    emit('call', live);
    emit('remoteStream', { callId: 'call_1', party: { role: 'agent', id: 'agt_1' }, stream: stream('agent') });
    emit('remoteStream', { callId: 'call_1', party: { role: 'agent', id: 'agt_2' }, stream: stream('third') });
    // Another call's stream is not this screen's.
    emit('remoteStream', { callId: 'call_other', party: { role: 'agent', id: 'agt_9' }, stream: stream('x') });
    expect([...model.view.remotes.keys()]).toEqual(['agent:agt_1', 'agent:agt_2']);
    emit('remoteStream', { callId: 'call_1', party: { role: 'agent', id: 'agt_2' }, stream: null });
    expect([...model.view.remotes]).toEqual([['agent:agt_1', stream('agent')]]);
    emit('call', { ...live, phase: 'ended' });
    expect(model.view.remotes.size).toBe(0);
    model.destroy();
  });
});
