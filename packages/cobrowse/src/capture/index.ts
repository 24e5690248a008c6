/**
 * The visitor side of co-browsing, loaded lazily when a co-browse starts: the capture of the page
 * (privacy rules applied before anything is serialised), its batching and sending, and what the
 * visitor sees (the indicator, the viewers' annotations, the granted remote control).
 */
export { CaptureSession, type CaptureOptions, type DataFrame } from './capture-session.ts';
export { PageOverlay, type OverlayLabels, type PageInput } from './page-overlay.ts';
export type { PrivacyRules } from './privacy.ts';
