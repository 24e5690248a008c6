/**
 * Injected into the tab being shared: the same capture as the widget's lazy chunk (privacy rules
 * included) and the bar that says the page is shared. Its batches go to the service worker.
 */
import { CaptureSession, PageOverlay, type PageInput, type PrivacyRules } from '@frontdesk/cobrowse/capture';

const marker = window as unknown as { __frontdeskCapture?: boolean };
if (!marker.__frontdeskCapture) {
  marker.__frontdeskCapture = true;
  const port = chrome.runtime.connect({ name: 'frontdesk-capture' });
  let capture: CaptureSession | null = null;
  let overlay: PageOverlay | null = null;
  const stop = () => {
    capture?.stop();
    overlay?.remove();
    capture = null;
    overlay = null;
    marker.__frontdeskCapture = false;
  };
  port.onMessage.addListener((message: { type: string; sessionId?: string; rules?: PrivacyRules; pausedPages?: string[]; session?: { status: string }; input?: PageInput }) => {
    switch (message.type) {
      case 'start': {
        const session = new CaptureSession({ sessionId: message.sessionId!, rules: message.rules, pausedPages: message.pausedPages, send: (frame) => (port.postMessage({ ...frame, type: 'cobrowse.data' }), true) });
        capture = session;
        overlay = new PageOverlay(
          { on: 'Co-browsing on: the agent sees this page', controlOn: 'The agent is controlling this page', end: 'Stop sharing', stopControl: 'Take back control' },
          { end: () => port.postMessage({ type: 'end' }), revokeControl: () => port.postMessage({ type: 'revoke' }) },
          () => ({ privacy: session.privacy, serializer: session.recorder.serializer }),
        );
        session.start();
        return;
      }
      case 'cobrowse.snapshot-request':
        return capture?.requestSnapshot();
      case 'cobrowse.input':
        if (message.input) overlay?.apply(message.input);
        return;
      case 'cobrowse':
        overlay?.setControl(message.session?.status === 'control-granted');
        return;
      case 'stop':
        return stop();
    }
  });
  port.onDisconnect.addListener(stop);
}
