import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { format } from '../../../app/locale.ts';
import { reportStrings } from '../locales/index.ts';
import { axisLabels, chartTestId, type ChartData } from '../state/dashboard-series.ts';

const COLOURS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea'];
/** Overlapping bars, widest first: the first series is the whole (offered), the next its parts. */
const WIDTHS = [0.8, 0.55, 0.3, 0.15];

export interface BarChartProps {
  chart: ChartData;
  labels: readonly string[];
  /** A bar (bucket) was clicked: show what is behind it. */
  onPick: (bucketIndex: number) => void;
}

/**
 * A bar chart of one value per bucket per series (uPlot on a canvas). The x scale runs from −0.5
 * to n − 0.5, so bucket i takes the i-th n-th of the plot's width: a click anywhere over a bar's
 * column picks that bucket.
 */
export function BarChart({ chart, labels, onPick }: BarChartProps) {
  const t = reportStrings();
  const title = t.charts[chart.id];
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
          { label: t.units[chart.unit], size: 56 },
        ],
        series: [
          { label: t.bucket, value: (_u, v) => (v === null || v === undefined ? '' : (labels[v] ?? '')) },
          ...chart.series.map((s, i) => ({ label: t.series[s.id], fill: `${COLOURS[i % COLOURS.length]}cc`, stroke: COLOURS[i % COLOURS.length], width: 1, paths: uPlot.paths.bars!({ size: [WIDTHS[i] ?? 0.15, 120], align: 0 as const }), points: { show: false } })),
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
  }, [chart, labels, t]);
  return (
    <figure className="fd-rep-chart">
      <figcaption>{title}</figcaption>
      <div ref={host} data-testid={chartTestId(chart.id)} role="img" aria-label={format(labels.length > 1 ? t.chartByBucket : t.chartByRange, { chart: title })} />
    </figure>
  );
}
