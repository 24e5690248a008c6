import type { AgentClient, UiState } from '@frontdesk/sdk-agent';
import { useEffect, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { Icon } from '../../../ui/index.ts';
import { shellStrings } from '../locales/index.ts';

const DEFAULT_UI: Pick<UiState, 'visible' | 'floatButtonVisible' | 'workbenchVisible'> = { visible: true, floatButtonVisible: true, workbenchVisible: true };

/**
 * The workbench embedded in another page (SDK login): the element it is mounted in is the
 * floating panel (placed by the host or by /sdk/login.js), and a floating button outside it shows
 * and hides it. The SDK's UI namespace (`UI.show/hide`, `showFloatButton`, `showWorkbench`…)
 * drives both.
 */
export function FloatingFrame({ host, client, children }: { host: HTMLElement; client: AgentClient | null; children: ReactNode }) {
  const [ui, setUi] = useState(DEFAULT_UI);
  useEffect(() => {
    if (!client) return;
    setUi(client.UI.getState());
    return client.on('uiChanged', setUi);
  }, [client]);

  // Before sign-in there is nothing to hide: the panel shows the sign-in or its error.
  const isPanelShown = ui.visible && (ui.workbenchVisible || !client);
  useEffect(() => {
    host.hidden = !isPanelShown;
    host.classList.add('wb-floating-host');
  }, [host, isPanelShown]);

  const toggle = () => {
    if (!client) return;
    if (ui.workbenchVisible) client.UI.hideWorkbench();
    else client.UI.showWorkbench();
  };
  return (
    <>
      {children}
      {ui.visible &&
        ui.floatButtonVisible &&
        client &&
        createPortal(
          <button type="button" className="wb-floating__button" aria-expanded={isPanelShown} onClick={toggle} data-testid="float-button">
            <Icon name={isPanelShown ? 'close' : 'chat'} size="26px" />
            <span className="fd-visually-hidden">{isPanelShown ? shellStrings().hideWorkbench : shellStrings().showWorkbench}</span>
          </button>,
          document.body,
        )}
    </>
  );
}
