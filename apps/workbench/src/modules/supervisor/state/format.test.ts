import { describe, expect, it } from 'vitest';
import { boardState } from './format.ts';

describe('boardState', () => {
  it('shows a conversation an agent took by hand as assigned, and every other state as it is', () => {
    expect(boardState({ routingState: 'none', agentId: 'agt_1' })).toBe('assigned');
    expect(boardState({ routingState: 'none', agentId: null })).toBe('none');
    expect(boardState({ routingState: 'queued', agentId: null })).toBe('queued');
    expect(boardState({ routingState: 'ended', agentId: 'agt_1' })).toBe('ended');
  });
});
