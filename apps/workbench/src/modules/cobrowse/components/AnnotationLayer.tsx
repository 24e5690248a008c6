/** A pen stroke or highlight of a viewer, in page coordinates of the visitor's document; `from` is the viewer ('me' for this one). */
export type Annotation =
  | { kind: 'pen'; id: string; points: [number, number][]; from: string; at: number }
  | { kind: 'highlight'; id: string; rect: { x: number; y: number; width: number; height: number }; from: string; at: number };

/** The viewers' annotations over the mirror, scaled and scrolled with it; each fades as it does in the visitor's page. */
export function AnnotationLayer({ annotations, scale, scroll }: { annotations: Annotation[]; scale: number; scroll: { x: number; y: number } }) {
  return (
    <svg className="fd-cobrowse__annotations" aria-hidden="true" data-testid="cobrowse-annotations">
      <g transform={`scale(${scale}) translate(${-scroll.x} ${-scroll.y})`}>
        {annotations.map((a) =>
          a.kind === 'pen' ? (
            <polyline key={a.id} className="fd-cobrowse__fade" data-annotation="pen" points={a.points.map(([x, y]) => `${x},${y}`).join(' ')} fill="none" stroke="#e11d48" strokeWidth={4} strokeLinecap="round" strokeLinejoin="round" />
          ) : (
            <rect key={a.id} className="fd-cobrowse__fade" data-annotation="highlight" x={a.rect.x} y={a.rect.y} width={Math.abs(a.rect.width)} height={Math.abs(a.rect.height)} rx={6} fill="rgb(250 204 21 / .35)" stroke="#ca8a04" strokeWidth={3} />
          ),
        )}
      </g>
    </svg>
  );
}
