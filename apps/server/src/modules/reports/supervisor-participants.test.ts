import type { SupervisionStep, SupervisionStepKind } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { supervisorParticipants } from './supervisor-participants.ts';

let seq = 0;
function step(supervisorId: string, mode: SupervisionStepKind, atSeconds: number): SupervisionStep {
  seq++;
  return { id: `s${seq}`, conversationId: 'c1', supervisorId, mode, previousMode: null, seq, at: atSeconds * 1000 };
}
const mailOf = (id: string) => `${id}@acme.test`;

describe('supervisor participants of a CDR', () => {
  it('one supervisorSeat per span: its modes in order, ended by stop, intercept or the end of the conversation', () => {
    const steps = [step('boss', 'monitor', 10), step('lead', 'whisper', 12), step('boss', 'whisper', 20), step('boss', 'monitor', 25), step('boss', 'stop', 30), step('boss', 'barge', 40), step('lead', 'intercept', 50)];
    const participants = supervisorParticipants(steps, { mailOf, endedAtMs: 90_000, firstSequence: 1 });
    expect(participants.map((p) => [p.Mail, p.Type, p.Sequence, p.StartTimeStamp, p.AcceptTimestamp, p.EndedTimestamp, p.EndStatusString, p.SupervisionModes])).toEqual([
      ['boss@acme.test', 'supervisorSeat', 1, 10, 10, 30, 'ok', ['monitor', 'whisper']],
      ['lead@acme.test', 'supervisorSeat', 2, 12, 12, 50, 'intercepted', ['whisper']],
      ['boss@acme.test', 'supervisorSeat', 3, 40, 40, 90, 'ok', ['barge']],
    ]);
  });

  it('no supervision, no participant; a stop without a mode adds nothing', () => {
    expect(supervisorParticipants([], { mailOf, endedAtMs: 1, firstSequence: 0 })).toEqual([]);
    expect(supervisorParticipants([step('boss', 'stop', 5)], { mailOf, endedAtMs: 9_000, firstSequence: 0 })).toEqual([]);
  });
});
