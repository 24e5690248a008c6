/**
 * The lazily loaded chunk of a co-browse: the page's capture and what the visitor sees of it. The
 * panel imports it only when a session goes live, so the launcher and panel budgets never carry it.
 */
import { CaptureSession, PageOverlay, type DataFrame, type OverlayLabels, type PageInput, type PrivacyRules } from '@frontdesk/cobrowse/capture';

export interface CaptureHandle {
  requestSnapshot(): void;
  apply(input: PageInput): boolean;
  setControl(granted: boolean): void;
  stop(): void;
}

export function startCapture(options: {
  sessionId: string;
  send: (frame: DataFrame) => boolean;
  rules: PrivacyRules;
  pausedPages: readonly string[];
  labels: OverlayLabels;
  end: () => void;
  revokeControl: () => void;
}): CaptureHandle {
  const capture = new CaptureSession({ sessionId: options.sessionId, send: options.send, rules: options.rules, pausedPages: options.pausedPages });
  const overlay = new PageOverlay(options.labels, { end: options.end, revokeControl: options.revokeControl }, () => ({ privacy: capture.privacy, serializer: capture.recorder.serializer }));
  capture.start();
  return {
    requestSnapshot: () => capture.requestSnapshot(),
    apply: (input) => overlay.apply(input),
    setControl: (granted) => overlay.setControl(granted),
    stop() {
      capture.stop();
      overlay.remove();
    },
  };
}
