import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { axisLabels, type ChartData } from '../state/dashboard-series.ts';

const COLOURS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea'];
/** Overlapping bars, widest first: the first series is the whole (offered), the next its parts. */
const WIDTHS = [0.8, 0.55, 0.3, 0.15];

export interface BarChartProps {
  chart: ChartData;
  labels: readonly string[];
  /** A bar (bucket) was clicked: show what is behind it. */
  onPick: (bucketIndex: number) => void;
  testId: string;
}

/**
 * A bar chart of one value per bucket per series (uPlot on a canvas). The x scale runs from −0.5
 * to n − 0.5, so bucket i takes the i-th n-th of the plot's width: a click anywhere over a bar's
 * column picks that bucket.
 */
export function BarChart({ chart, labels, onPick, testId }: BarChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const n = labels.length;
    const xs = labels.map((_, i) => i);
    const ticks = axisLabels(labels);
    const data: uPlot.AlignedData = [xs, ...chart.series.map((s) => s.values.map((v) => v ?? null))];
    const width = Math.max(320, el.clientWidth);
    const plot = new uPlot(
      {
        width,
        height: 220,
        legend: { show: true },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        scales: { x: { time: false, range: () => [-0.5, n - 0.5] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [
          { values: (_u, splits) => splits.map((v) => (Number.isInteger(v) && v >= 0 && v < n ? ticks[v]! : '')), splits: () => (n > 14 ? xs.filter((i) => i % Math.ceil(n / 14) === 0) : xs), gap: 4, size: 40 },
          { label: chart.unit, size: 56 },
        ],
        series: [
          { label: 'Bucket', value: (_u, v) => (v === null || v === undefined ? '' : (labels[v] ?? '')) },
          ...chart.series.map((s, i) => ({ label: s.label, fill: `${COLOURS[i % COLOURS.length]}cc`, stroke: COLOURS[i % COLOURS.length], width: 1, paths: uPlot.paths.bars!({ size: [WIDTHS[i] ?? 0.15, 120], align: 0 as const }), points: { show: false } })),
        ],
      },
      data,
      el,
    );
    const onClick = () => {
      const idx = plot.cursor.idx;
      if (idx !== null && idx !== undefined) pick.current(idx);
    };
    plot.over.addEventListener('click', onClick);
    plot.over.style.cursor = 'pointer';
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(320, el.clientWidth), height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.over.removeEventListener('click', onClick);
      plot.destroy();
    };
  }, [chart, labels]);
  return (
    <figure className="fd-rep-chart">
      <figcaption>{chart.title}</figcaption>
      <div ref={host} data-testid={testId} role="img" aria-label={`${chart.title} by ${labels.length > 1 ? 'bucket' : 'range'}: click a bar for its conversations`} />
    </figure>
  );
}
