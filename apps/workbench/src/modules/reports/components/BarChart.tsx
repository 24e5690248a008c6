import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { format } from '../../../app/locale.ts';
import { reportStrings, type UnitId } from '../locales/index.ts';
import { axisLabels, chartTestId, type ChartData } from '../state/dashboard-series.ts';

const COLOURS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea'];
/** Overlapping bars, widest first: the first series is the whole (offered), the next its parts. */
const WIDTHS = [0.8, 0.55, 0.3, 0.15];
/** Units that count things: their axes step by whole numbers (no "1.5 conversations"). */
const COUNTS: ReadonlySet<UnitId> = new Set(['conversations', 'ratings']);
const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];
const yAxis = (unit: UnitId, label: string) => ({ label, size: 56, ...(COUNTS.has(unit) ? { incrs: WHOLE_STEPS } : {}) });

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
    // A series in another unit than the chart's (CSAT's count of ratings) has its own scale, on the right.
    const other = chart.series.find((s) => s.unit !== undefined && s.unit !== chart.unit)?.unit;
    const fromZero: uPlot.Scale.Range = (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1];
    const plot = new uPlot(
      {
        width,
        height: 220,
        legend: { show: true },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        scales: { x: { time: false, range: () => [-0.5, n - 0.5] }, y: { range: fromZero }, ...(other ? { [other]: { range: fromZero } } : {}) },
        axes: [
          { values: (_u, splits) => splits.map((v) => (Number.isInteger(v) && v >= 0 && v < n ? ticks[v]! : '')), splits: () => (n > 14 ? xs.filter((i) => i % Math.ceil(n / 14) === 0) : xs), gap: 4, size: 40 },
          yAxis(chart.unit, t.units[chart.unit]),
          ...(other ? [{ ...yAxis(other, t.units[other]), scale: other, side: 1 as const, grid: { show: false } }] : []),
        ],
        series: [
          { label: t.bucket, value: (_u, v) => (v === null || v === undefined ? '' : (labels[v] ?? '')) },
          ...chart.series.map((s, i) => ({ label: t.series[s.id], scale: s.unit !== undefined && s.unit !== chart.unit ? s.unit : 'y', fill: `${COLOURS[i % COLOURS.length]}cc`, stroke: COLOURS[i % COLOURS.length], width: 1, paths: uPlot.paths.bars!({ size: [WIDTHS[i] ?? 0.15, 120], align: 0 as const }), points: { show: false } })),
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
