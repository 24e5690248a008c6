import type { Call } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { CALL_STRINGS } from '../locales/index.ts';
import { inviteOutcomeText } from './call-labels.ts';
import { inviteLeg, inviteOutcome, isInviteFor, partyKey, remoteParties, ringingInvitee, withRemoteStream } from './call-parties.ts';

type Participant = Call['participants'][number];
let seq = 0;
const leg = (role: 'agent' | 'visitor', userId: string, state: Participant['leg'], patch: Partial<Participant> = {}): Participant => ({
  seq: seq++,
  role,
  userId,
  leg: state,
  micMuted: false,
  cameraOff: false,
  ringAt: null,
  acceptedAt: state === 'ringing' || state === 'invited' ? null : 1,
  connectedAt: null,
  leftAt: null,
  leftReason: null,
  isStreamOffline: false,
  ...patch,
});
const call = (participants: Participant[], patch: Partial<Call> = {}): Call =>
  ({ id: 'call_1', direction: 'inbound', phase: 'active', visitorId: 'vis_1', mainAgentId: 'agt_me', consult: null, participants, ...patch }) as Call;

describe('the parties of a multi-party call', () => {
  it('every other party in the call is a tile, once, never this agent nor one who left or still rings', () => {
    const c = call([
      leg('visitor', 'vis_1', 'connected'),
      leg('agent', 'agt_me', 'connected'),
      leg('agent', 'agt_ana', 'left', { leftReason: 'agent_hung_up' }),
      leg('agent', 'agt_ana', 'connected'),
      leg('visitor', 'vis_2', 'connecting'),
      leg('agent', 'agt_bo', 'ringing'),
    ]);
    expect(remoteParties(c, 'agt_me').map((p) => partyKey({ role: p.role, id: p.userId }))).toEqual(['visitor:vis_1', 'agent:agt_ana', 'visitor:vis_2']);
  });

  it('one stream per party: a new stream replaces only its own, a party leaving removes only its own', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((id) => ({ id }) as unknown as MediaStream);
    let streams = withRemoteStream(new Map(), { role: 'visitor', id: 'vis_1' }, a!);
    streams = withRemoteStream(streams, { role: 'agent', id: 'agt_ana' }, b!);
    const before = streams;
    streams = withRemoteStream(streams, { role: 'agent', id: 'agt_ana' }, c!);
    expect([...streams]).toEqual([['visitor:vis_1', a], ['agent:agt_ana', c]]);
    expect(before.get('agent:agt_ana')).toBe(b);
    streams = withRemoteStream(streams, { role: 'agent', id: 'agt_ana' }, null);
    expect([...streams]).toEqual([['visitor:vis_1', a]]);
  });

  it('the ringing invitee is a third agent or visitor; a consult, a transfer or an internal call is none', () => {
    const base = [leg('visitor', 'vis_1', 'connected'), leg('agent', 'agt_me', 'connected')];
    expect(ringingInvitee(call([...base, leg('agent', 'agt_ana', 'ringing')]))?.userId).toBe('agt_ana');
    expect(ringingInvitee(call([...base, leg('visitor', 'vis_2', 'ringing')]))?.userId).toBe('vis_2');
    expect(ringingInvitee(call([...base, leg('agent', 'agt_ana', 'ringing')], { consult: { agentId: 'agt_ana', phase: 'ringing' } }))).toBeUndefined();
    expect(ringingInvitee(call([leg('visitor', 'vis_1', 'connected'), leg('agent', 'agt_ana', 'ringing')], { mainAgentId: null }))).toBeUndefined();
    expect(ringingInvitee(call([leg('agent', 'agt_me', 'connected'), leg('agent', 'agt_ana', 'ringing')], { direction: 'internal', visitorId: null }))).toBeUndefined();
    // An outbound call ringing its own visitor is no invite.
    expect(ringingInvitee(call([leg('agent', 'agt_me', 'connected'), leg('visitor', 'vis_1', 'ringing')], { phase: 'ringing' }))).toBeUndefined();
    const invited = call([...base, leg('agent', 'agt_ana', 'ringing')]);
    expect([isInviteFor(invited, 'agt_ana'), isInviteFor(invited, 'agt_me')]).toEqual([true, false]);
  });

  it('an invite reads ringing, joined, or why not, from its leg; in words with the invitee named', () => {
    const ringing = leg('agent', 'agt_ana', 'ringing');
    const c = (p: Participant) => call([leg('visitor', 'vis_1', 'connected'), p]);
    expect(inviteOutcome(c(ringing), ringing.seq)).toBe('ringing');
    expect(inviteOutcome(c({ ...ringing, leg: 'connected', acceptedAt: 5 }), ringing.seq)).toBe('joined');
    expect(inviteOutcome(c({ ...ringing, leg: 'left', acceptedAt: 5, leftReason: 'agent_hung_up' }), ringing.seq)).toBe('joined');
    const left = (leftReason: string) => inviteOutcome(c({ ...ringing, leg: 'left', leftReason }), ringing.seq);
    expect(['agent_refused', 'visitor_refused', 'agent_busy', 'ring_timeout', 'visitor_timeout', 'agent_error', 'call_ended'].map(left)).toEqual(['declined', 'declined', 'busy', 'no_answer', 'no_answer', 'failed', 'failed']);
    expect(inviteOutcome(c(ringing), 999)).toBeUndefined();
    expect(inviteOutcomeText('declined', 'Ana', CALL_STRINGS.en)).toBe('Ana declined');
    expect(inviteOutcomeText('no_answer', 'Ana', CALL_STRINGS.zh)).toBe('Ana 未接听');
  });

  it('the leg an invite added is the invitee\'s newest', () => {
    const old = leg('agent', 'agt_ana', 'left', { leftReason: 'agent_refused' });
    const fresh = leg('agent', 'agt_ana', 'ringing');
    expect(inviteLeg(call([leg('visitor', 'vis_1', 'connected'), old, fresh]), { userId: 'agt_ana' })?.seq).toBe(fresh.seq);
    expect(inviteLeg(call([leg('visitor', 'vis_1', 'connected'), leg('visitor', 'vis_2', 'ringing')]), { visitorId: 'vis_2' })?.role).toBe('visitor');
  });
});
