import type { CobrowseInput, CobrowseSession } from '@frontdesk/protocol';
import { Mirror, type MirrorView } from '@frontdesk/cobrowse/mirror';
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';
import { format } from '../../../app/locale.ts';
import { Badge, Button, useToast } from '../../../ui/index.ts';
import { cobrowseStrings } from '../locales/index.ts';
import { AnnotationLayer, type Annotation } from './AnnotationLayer.tsx';

type Tool = 'pointer' | 'pen' | 'highlight' | 'control';
/** The mirror asks again when a snapshot it asked for does not come (a lost frame, a page that was busy). */
const SNAPSHOT_RETRY_MS = 4000;
const MAX_PEN_POINTS = 200;

/**
 * The live mirror of the visitor's page (SPEC M32), scaled to the panel: the visitor's pointer,
 * the pen and highlight of every viewer (fading, also shown in the visitor's page), and, once the
 * visitor granted it, control: clicks, scrolling and typing replayed in the visitor's page.
 */
export function CobrowseView({ session, canControl }: { session: CobrowseSession; canControl: boolean }) {
  const s = cobrowseStrings();
  const client = useClient();
  const toast = useToast();
  const frameRef = useRef<HTMLIFrameElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const mirrorRef = useRef<Mirror | null>(null);
  const [view, setView] = useState<MirrorView | null>(null);
  const [hasPage, setHasPage] = useState(false);
  const [width, setWidth] = useState(640);
  const [tool, setTool] = useState<Tool>('pointer');
  const [annotations, setAnnotations] = useState<Annotation[]>([]);
  const [draft, setDraft] = useState<Annotation | null>(null);
  const focused = useRef<{ nodeId: number; value: string } | null>(null);
  const cobrowseId = session.id;
  const isControlling = session.status === 'control-granted' && session.controllerId !== null && canControl;

  // Watch while shown: joining asks the visitor's page for a fresh snapshot; leaving stops the data.
  useEffect(() => {
    const frame = frameRef.current;
    if (!frame) return;
    const watch = () => void client.Cobrowse.view({ cobrowseId, viewing: true });
    const mirror = new Mirror(frame, {
      needSnapshot: watch,
      applied: (batch) => {
        setHasPage(true);
        boxRef.current?.setAttribute('data-applied-at', String(batch.at));
      },
      view: (next) => setView({ ...next }),
    });
    mirrorRef.current = mirror;
    watch();
    const retry = setInterval(() => !mirror.hasSnapshot && watch(), SNAPSHOT_RETRY_MS);
    return () => {
      clearInterval(retry);
      mirrorRef.current = null;
      void client.Cobrowse.view({ cobrowseId, viewing: false });
    };
  }, [client, cobrowseId]);

  // After a reconnect of our socket the server no longer counts us as watching: join again (fresh snapshot).
  useClientEvent('connectionStateChanged', ({ state }) => {
    if (state === 'connected' && mirrorRef.current) {
      mirrorRef.current.reset();
      void client.Cobrowse.view({ cobrowseId, viewing: true });
    }
  });
  useClientEvent('cobrowseData', ({ cobrowseId: id, data }) => id === cobrowseId && mirrorRef.current?.receive(data));
  useClientEvent('cobrowseInput', ({ cobrowseId: id, from, input }) => {
    if (id !== cobrowseId || (input.kind !== 'pen' && input.kind !== 'highlight')) return;
    addAnnotation({ ...input, from, at: Date.now() });
  });

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width));
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  const viewport = view?.viewport ?? { width: 1280, height: 800 };
  const scroll = view?.scroll ?? { x: 0, y: 0 };
  const scale = Math.min(1, width / viewport.width);

  function addAnnotation(annotation: Annotation) {
    setAnnotations((list) => [...list.filter((a) => Date.now() - a.at < 5000), annotation]);
  }

  function send(input: CobrowseInput) {
    client.Cobrowse.input({ cobrowseId, input });
  }

  /** Pointer position as page coordinates of the visitor's document. */
  function pageAt(event: ReactPointerEvent | { clientX: number; clientY: number }): [number, number] {
    const rect = boxRef.current!.getBoundingClientRect();
    return [Math.round((event.clientX - rect.left) / scale + scroll.x), Math.round((event.clientY - rect.top) / scale + scroll.y)];
  }

  function nodeAt(event: { clientX: number; clientY: number }): number | null {
    const mirror = mirrorRef.current;
    const rect = boxRef.current!.getBoundingClientRect();
    const el = mirror?.document?.elementFromPoint((event.clientX - rect.left) / scale, (event.clientY - rect.top) / scale) ?? null;
    for (let node: Node | null = el; node; node = node.parentNode) {
      const id = mirror?.idOf(node);
      if (id !== undefined) return id;
    }
    return null;
  }

  function onPointerDown(event: ReactPointerEvent<HTMLDivElement>) {
    if (tool === 'pointer') return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const [x, y] = pageAt(event);
    const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    if (tool === 'pen') setDraft({ kind: 'pen', id, points: [[x, y]], from: 'me', at: Date.now() });
    if (tool === 'highlight') setDraft({ kind: 'highlight', id, rect: { x, y, width: 0, height: 0 }, from: 'me', at: Date.now() });
    if (tool === 'control' && isControlling) {
      const nodeId = nodeAt(event);
      if (nodeId === null) return;
      const node = mirrorRef.current?.nodeOf(nodeId);
      focused.current = node && 'value' in node ? { nodeId, value: String((node as HTMLInputElement).value ?? '') } : null;
      send({ kind: 'click', nodeId });
      boxRef.current?.focus();
    }
  }

  function onPointerMove(event: ReactPointerEvent<HTMLDivElement>) {
    if (!draft) return;
    const [x, y] = pageAt(event);
    if (draft.kind === 'pen' && draft.points.length < MAX_PEN_POINTS) setDraft({ ...draft, points: [...draft.points, [x, y]] });
    if (draft.kind === 'highlight') setDraft({ ...draft, rect: { ...draft.rect, width: x - draft.rect.x, height: y - draft.rect.y } });
  }

  function onPointerUp() {
    if (!draft) return;
    setDraft(null);
    const annotation = { ...draft, at: Date.now() };
    if (annotation.kind === 'highlight') {
      const { x, y, width: w, height: h } = annotation.rect;
      annotation.rect = { x: Math.min(x, x + w), y: Math.min(y, y + h), width: Math.abs(w), height: Math.abs(h) };
      if (annotation.rect.width < 4 || annotation.rect.height < 4) return;
      send({ kind: 'highlight', id: annotation.id, rect: annotation.rect });
    } else {
      send({ kind: 'pen', id: annotation.id, points: annotation.points });
    }
    addAnnotation(annotation);
  }

  function onWheel(event: React.WheelEvent<HTMLDivElement>) {
    if (tool !== 'control' || !isControlling) return;
    send({ kind: 'scroll', nodeId: null, x: Math.max(0, Math.round(scroll.x + event.deltaX)), y: Math.max(0, Math.round(scroll.y + event.deltaY)) });
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLDivElement>) {
    const target = focused.current;
    if (tool !== 'control' || !isControlling || !target) return;
    if (event.key === 'Backspace') target.value = target.value.slice(0, -1);
    else if (event.key.length === 1) target.value += event.key;
    else return;
    event.preventDefault();
    send({ kind: 'type', nodeId: target.nodeId, value: target.value });
  }

  async function act(action: () => Promise<{ status: 'success' | 'error'; errorMsg?: string }>) {
    const result = await action();
    if (result.status === 'error') toast({ message: format(s.failed, { reason: result.errorMsg ?? '' }), tone: 'danger' });
  }

  const pointer = view?.pointer;
  return (
    <section className="fd-cobrowse" aria-label={s.title} data-testid="cobrowse-view" data-status={session.status}>
      <header className="fd-cobrowse__bar">
        <strong>{s.title}</strong>
        <Badge tone="danger">{s.live}</Badge>
        <span className="fd-cobrowse__meta">{format(s.viewers, { count: session.viewers.length })}</span>
        <div className="fd-cobrowse__tools" role="toolbar" aria-label={s.title}>
          {(['pointer', 'pen', 'highlight', ...(isControlling ? (['control'] as const) : [])] as Tool[]).map((t) => (
            <Button key={t} size="sm" variant={tool === t ? 'primary' : 'secondary'} aria-pressed={tool === t} data-tool={t} onClick={() => setTool(t)}>
              {t === 'pointer' ? s.toolPointer : t === 'pen' ? s.toolPen : t === 'highlight' ? s.toolHighlight : s.toolControl}
            </Button>
          ))}
        </div>
        {canControl && session.status === 'live' && (
          <Button size="sm" data-testid="cobrowse-request-control" onClick={() => void act(() => client.Cobrowse.requestControl({ cobrowseId }))}>
            {s.requestControl}
          </Button>
        )}
        {canControl && session.status === 'control-requested' && <span className="fd-cobrowse__meta">{s.controlRequested}</span>}
        {isControlling && (
          <Button size="sm" onClick={() => (setTool('pointer'), void act(() => client.Cobrowse.releaseControl({ cobrowseId })))}>
            {s.releaseControl}
          </Button>
        )}
        <Button size="sm" variant="danger" data-testid="cobrowse-end" onClick={() => void act(() => client.Cobrowse.end({ cobrowseId }))}>
          {s.end}
        </Button>
      </header>
      {isControlling && <p className="fd-cobrowse__notice" role="status">{s.controlGranted}</p>}
      {view?.paused && <p className="fd-cobrowse__notice" role="status">{s.paused}</p>}
      <div
        ref={boxRef}
        className={`fd-cobrowse__stage fd-cobrowse__stage--${tool}`}
        style={{ height: viewport.height * scale }}
        tabIndex={0}
        data-testid="cobrowse-stage"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onWheel={onWheel}
        onKeyDown={onKeyDown}
      >
        <iframe
          ref={frameRef}
          title={s.title}
          className="fd-cobrowse__frame"
          data-testid="cobrowse-mirror"
          style={{ width: viewport.width, height: viewport.height, transform: `scale(${scale})` }}
        />
        {!hasPage && <p className="fd-cobrowse__waiting">{s.connecting}</p>}
        <AnnotationLayer annotations={draft ? [...annotations, draft] : annotations} scale={scale} scroll={scroll} />
        {pointer && (
          <span className="fd-cobrowse__pointer" aria-label={s.visitorPointer} data-testid="cobrowse-pointer" style={{ left: (pointer.x - scroll.x) * scale, top: (pointer.y - scroll.y) * scale }} />
        )}
      </div>
    </section>
  );
}
