import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { usePanel } from '../App.tsx';
import { useCallView } from '../use-call-view.ts';

type CallScreenComponent = FunctionComponent<Record<string, never>>;
let loading: Promise<CallScreenComponent> | undefined;

/**
 * Where the call screen goes (under the header). NOTE: the call screen, its styles and its strings
 * are a chunk of their own, imported the first time a call is shown (started here, ringing, or
 * rejoined after a reload): the panel's budget pays only for this slot and the call model.
 */
export function CallSlot() {
  const { model } = usePanel();
  const calls = useCallView(model.calls);
  const [Screen, setScreen] = useState<CallScreenComponent | null>(null);
  const isShown = calls.stage.name !== 'idle';
  useEffect(() => {
    if (!isShown || Screen) return;
    loading ??= import('../calls/CallScreen.tsx').then((m) => m.CallScreen as CallScreenComponent);
    loading.then(
      (component) => setScreen(() => component),
      (err) => {
        loading = undefined;
        console.error('[frontdesk] the call screen failed to load', err);
      },
    );
  }, [isShown, Screen]);
  return isShown && Screen ? <Screen /> : null;
}
