import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, decideStart, isLive, mayRelayData, routeInput, type Actor, type Command, type SessionState } from './cobrowse-engine.ts';

const VISITOR: Actor = { role: 'visitor', id: 'visitor' };
const OTHER_VISITOR: Actor = { role: 'visitor', id: 'stranger' };
const HOLDER: Actor = { role: 'agent', id: 'holder', isHolder: true, isSupervisor: false };
const SUPERVISOR: Actor = { role: 'agent', id: 'boss', isHolder: false, isSupervisor: true };
const BYSTANDER: Actor = { role: 'agent', id: 'other', isHolder: false, isSupervisor: false };
const ACTORS = [VISITOR, HOLDER, SUPERVISOR, BYSTANDER, { role: 'system' } as Actor];

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.constant<Command>({ type: 'start' }),
  fc.boolean().map<Command>((accept) => ({ type: 'consent', accept })),
  fc.constantFrom<Command>({ type: 'control', action: 'request' }, { type: 'control', action: 'grant' }, { type: 'control', action: 'deny' }, { type: 'control', action: 'revoke' }),
  fc.boolean().map<Command>((viewing) => ({ type: 'view', viewing })),
  fc.constantFrom<Command>({ type: 'holder-changed', holderId: 'holder' }, { type: 'holder-changed', holderId: 'boss' }, { type: 'holder-changed', holderId: null }),
  fc.constant<Command>({ type: 'end' }),
);
const stepArb = fc.record({ actor: fc.constantFrom(...ACTORS), command: commandArb });
const INPUT_KINDS = ['pen', 'highlight', 'click', 'scroll', 'type'] as const;

describe('co-browse engine (properties)', () => {
  it('consent rules hold over any sequence of commands by anyone', () => {
    fc.assert(
      fc.property(fc.constantFrom(VISITOR, HOLDER), fc.array(stepArb, { maxLength: 40 }), (starter, steps) => {
        const started = decideStart(starter, 0);
        if (!started.ok) throw new Error('a visitor or the holder always starts');
        let state: SessionState = started.state;
        let hasConsent = starter.role === 'visitor';
        steps.forEach(({ actor, command }, i) => {
          const before = state;
          const decision = decide(state, actor, command, i + 1);
          if (!decision.ok) {
            expect(decision.code).toMatch(/^FD_COBROWSE_/);
            return;
          }
          state = decision.state;
          // Ended is final: nothing brings a session back.
          if (before.status === 'ended') expect(state).toBe(before);
          // Only the visitor gives consent; only the visitor grants control, and only when asked.
          if (!isLive(before) && isLive(state)) {
            expect(actor.role).toBe('visitor');
            hasConsent = true;
          }
          if (state.status === 'control-granted' && before.status !== 'control-granted') {
            expect(actor).toBe(VISITOR);
            expect(before.status).toBe('control-requested');
          }
          if (state.status === 'control-requested' && before.status !== 'control-requested') expect(actor).toBe(HOLDER);
          // A new holder leaves nobody else in control; only the system tells of one.
          if (command.type === 'holder-changed') {
            expect(actor.role).toBe('system');
            expect([null, command.holderId]).toContain(state.controllerId);
          }
          // A controller exists exactly while control is asked for or held.
          expect(state.controllerId !== null).toBe(state.status === 'control-requested' || state.status === 'control-granted');
          // Only the holder and supervisors watch; nobody once it ended.
          for (const viewer of state.viewers) expect(['holder', 'boss']).toContain(viewer);
          if (state.status === 'ended') expect(state.viewers).toEqual([]);
          expect(new Set(state.viewers).size).toBe(state.viewers.length);
          // The capture's data passes only with consent, only from the conversation's visitor.
          expect(mayRelayData(state, 'visitor', VISITOR)).toBe(isLive(state) && hasConsent);
          expect(mayRelayData(state, 'visitor', OTHER_VISITOR)).toBe(false);
          expect(mayRelayData(state, 'visitor', HOLDER)).toBe(false);
          // Control actions reach the page only from the agent granted control; annotations from any viewer.
          for (const sender of [HOLDER, SUPERVISOR, BYSTANDER]) {
            for (const kind of INPUT_KINDS) {
              const route = routeInput(state, sender, { kind });
              const isControl = kind === 'click' || kind === 'scroll' || kind === 'type';
              const mayControl = state.status === 'control-granted' && state.controllerId === sender.id && sender.role === 'agent' && state.viewers.includes(sender.id);
              const mayAnnotate = isLive(state) && sender.role === 'agent' && state.viewers.includes(sender.id);
              expect(route !== null).toBe(isControl ? mayControl : mayAnnotate);
              if (route) expect(route.toViewers).not.toContain(sender.role === 'agent' ? sender.id : '');
            }
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it('a proposal is never live without the visitor, and a rejected one ends', () => {
    const proposed = decideStart(HOLDER, 0);
    if (!proposed.ok) throw new Error('unreachable');
    expect(proposed.state.status).toBe('proposed');
    expect(decide(proposed.state, HOLDER, { type: 'consent', accept: true }, 1).ok).toBe(false);
    expect(decide(proposed.state, HOLDER, { type: 'control', action: 'request' }, 1).ok).toBe(false);
    const rejected = decide(proposed.state, VISITOR, { type: 'consent', accept: false }, 1);
    expect(rejected.ok && rejected.state.status === 'ended' && rejected.state.endReason === 'rejected').toBe(true);
    expect(decideStart(BYSTANDER, 0).ok).toBe(false);
    expect(decideStart(SUPERVISOR, 0).ok).toBe(false);
  });

  it('watching again asks for a fresh snapshot; a controller who stops watching gives control back', () => {
    const started = decideStart(VISITOR, 0);
    if (!started.ok) throw new Error('unreachable');
    const viewing = decide(started.state, HOLDER, { type: 'view', viewing: true }, 1);
    expect(viewing.ok && viewing.snapshotNeeded).toBe(true);
    if (!viewing.ok) return;
    const again = decide(viewing.state, HOLDER, { type: 'view', viewing: true }, 2);
    expect(again.ok && again.snapshotNeeded && again.steps.length === 0).toBe(true);
    const requested = decide(viewing.state, HOLDER, { type: 'control', action: 'request' }, 3);
    if (!requested.ok) throw new Error('unreachable');
    const granted = decide(requested.state, VISITOR, { type: 'control', action: 'grant' }, 4);
    if (!granted.ok) throw new Error('unreachable');
    expect(routeInput(granted.state, HOLDER, { kind: 'click' })).toEqual({ toVisitor: true, toViewers: [] });
    const left = decide(granted.state, HOLDER, { type: 'view', viewing: false }, 5);
    expect(left.ok && left.state.status === 'live' && left.state.controllerId === null).toBe(true);
    const revoked = decide(granted.state, VISITOR, { type: 'control', action: 'revoke' }, 5);
    expect(revoked.ok && routeInput(revoked.state, HOLDER, { kind: 'click' })).toBeNull();
  });
});
