import type { Queue, QueueGroup } from '@frontdesk/protocol';
import type { AgentSkillsView } from '@frontdesk/sdk-agent';

/** One line of an agent's skills summary: a queue (or queue group) and the level the agent serves it at. */
export interface SkillSummaryItem {
  key: string;
  name: string;
  level: number;
  isDefault: boolean;
  isGroup: boolean;
}

/**
 * An agent's skills as short items: the default skill first, then queues by level (highest
 * first), then queue groups. A queue not (or no longer) in `queues` shows its id.
 */
export function skillsSummaryOf(skills: AgentSkillsView, queues: readonly Queue[], queueGroups: readonly QueueGroup[]): SkillSummaryItem[] {
  const queueName = (id: string) => queues.find((q) => q.id === id)?.name ?? id;
  const groupName = (id: string) => queueGroups.find((g) => g.id === id)?.name ?? id;
  const direct = skills.skills
    .map((s) => ({ key: `q:${s.queueId}`, name: queueName(s.queueId), level: s.level, isDefault: s.isDefault, isGroup: false }))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || b.level - a.level || a.name.localeCompare(b.name));
  const groups = skills.queueGroups.map((g) => ({ key: `g:${g.queueGroupId}`, name: groupName(g.queueGroupId), level: g.level, isDefault: false, isGroup: true }));
  return [...direct, ...groups];
}
