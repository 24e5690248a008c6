import { useCalls } from '../hooks/use-calls.ts';
import { CallWindow } from './CallWindow.tsx';

/** The agent's call in the pane of its conversation, above the messages (the call dock floats it elsewhere). */
export function CallInPane({ conversationId }: { conversationId: string }) {
  const { current } = useCalls();
  if (!current || current.call.conversationId !== conversationId) return null;
  return <CallWindow key={current.call.id} entry={current} placement="pane" canOpen={false} onOpen={() => undefined} />;
}
