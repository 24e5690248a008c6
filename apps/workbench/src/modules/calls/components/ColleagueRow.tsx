import type { ReactNode } from 'react';
import type { AgentTarget } from '../../conversation/hooks/use-transfer-targets.ts';
import { statusStrings } from '../../status/locales/index.ts';

/** A colleague in a list of the team (the call dialogs): its name and status now, then the row's buttons, given its name. */
export function ColleagueRow({ target: { agent, status }, children }: { target: AgentTarget; children: (name: string) => ReactNode }) {
  const name = agent.name || agent.email;
  return (
    <li className="wb-colleagues__row" data-agent-id={agent.id}>
      <span className="wb-colleagues__who">
        <strong>{name}</strong> <span className="wb-colleagues__muted">{statusStrings().statuses[status]}</span>
      </span>
      {children(name)}
    </li>
  );
}
