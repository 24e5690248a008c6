import { useEffect, useState } from 'preact/hooks';
import type { CallModel, CallView } from './call-model.ts';

/** The call model's view, re-rendering on each change. */
export function useCallView(calls: CallModel): CallView {
  const [, setVersion] = useState(0);
  useEffect(() => calls.subscribe(() => setVersion((n) => n + 1)), [calls]);
  return calls.view;
}
