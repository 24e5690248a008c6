/**
 * The co-browse capture format: what the visitor's page sends (inside `cobrowse.data` frames,
 * opaque to the server) and the agent's mirror rebuilds. Node ids are the capture's own, stable
 * within one epoch (one snapshot and the deltas after it). Coordinates are CSS px of the page.
 * Every value in here passed the visitor-side privacy rules (capture/privacy.ts) first.
 */
export type NodeId = number;

export type SerializedNode =
  | {
      id: NodeId;
      t: 'e';
      tag: string;
      /** 'svg' for SVG elements (created in the SVG namespace). */
      ns?: 'svg';
      attrs: Record<string, string>;
      kids: SerializedNode[];
      /** A form field's current value, masked unless the page opted the field in; absent for password and payment fields. */
      value?: string;
      checked?: boolean;
      /** Shown as a box of this size: blocked by the page, or what DOM mirroring cannot see (canvas, video, iframes). */
      placeholder?: { reason: 'blocked' | 'canvas' | 'video' | 'iframe' | 'embed'; width: number; height: number };
    }
  | { id: NodeId; t: 'x'; text: string };

export interface Snapshot {
  href: string;
  title: string;
  viewport: { width: number; height: number };
  scroll: { x: number; y: number };
  /** The document element. */
  root: SerializedNode;
}

export type CaptureEvent =
  | { k: 'add'; parent: NodeId; before: NodeId | null; node: SerializedNode }
  | { k: 'remove'; id: NodeId }
  | { k: 'attr'; id: NodeId; name: string; value: string | null }
  | { k: 'text'; id: NodeId; text: string }
  | { k: 'value'; id: NodeId; value: string; checked?: boolean }
  /** `id` 0: the document's own scroll. */
  | { k: 'scroll'; id: NodeId; x: number; y: number }
  | { k: 'viewport'; width: number; height: number }
  | { k: 'pointer'; x: number; y: number }
  /** A page listed in the channel's settings: the capture pauses there (nothing of it is sent). */
  | { k: 'paused'; paused: boolean }
  /** A periodic image of a canvas (a WebP or PNG data URL), where DOM mirroring sees nothing. */
  | { k: 'tile'; id: NodeId; dataUrl: string };

/** `at`: the visitor's clock when captured (ms), for the mirror's latency figures. */
export type Batch = { kind: 'snapshot'; at: number; snapshot: Snapshot } | { kind: 'delta'; at: number; events: CaptureEvent[] };
