import { visitorLabel } from '../../../app/format.ts';
import { useVisitor } from '../hooks/use-visitor.ts';

/** A visitor by the name the inbox shows: their own, the one typed in a widget form, or "Visitor" and the id's tail. */
export function VisitorName({ sessionId, visitorId, formName }: { sessionId: string | null; visitorId: string; formName?: string | null | undefined }) {
  // Without a conversation to read the visitor through, the label goes without their own name.
  const visitor = useVisitor(sessionId ?? '', sessionId === null ? null : visitorId);
  return <span title={visitorId}>{visitorLabel(visitorId, visitor?.name, formName)}</span>;
}
