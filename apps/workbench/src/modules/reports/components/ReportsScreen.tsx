import type { Agent, ReportConversationList } from '@frontdesk/protocol';
import type { AgentClient } from '@frontdesk/sdk-agent';
import { useEffect, useMemo, useState } from 'react';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { format, workbenchLocaleTag } from '../../../app/locale.ts';
import { Button, Field, useToast } from '../../../ui/index.ts';
import { useStyles } from '../../../ui/useStyles.ts';
import { useSupervisorApi } from '../../supervisor/hooks/useSupervisorApi.ts';
import { useReportData, type ReportRequest } from '../hooks/use-report-data.ts';
import { reportStrings } from '../locales/index.ts';
import reportsCss from '../reports.css?inline';
import supervisorCss from '../../supervisor/supervisor.css?inline';
import { agentCharts, channelCharts, csatChart, queueCharts, type ChartData, type Dimension } from '../state/dashboard-series.ts';
import { addDays, browserTimeZone, localDateOf, reportFormat } from '../state/report-format.ts';
import { BarChart } from './BarChart.tsx';
import { DrillDownList } from './DrillDownList.tsx';
import { TranscriptPanel } from './TranscriptPanel.tsx';

interface Drill {
  title: string;
  query: Record<string, string>;
}

/**
 * The historical dashboard (SPEC M41): volumes, waits, handle time and CSAT by queue, agent or
 * channel over a range, bucketed by hour, day or week in a time zone; a click on a bar lists the
 * ended conversations behind it, each opening its transcript; the range exports as CSV or XLSX.
 * The figures are the REST reports' (docs/reports.md has every formula).
 */
export function ReportsScreen({ client }: { client: AgentClient }) {
  useStyles('fd-reports-styles', reportsCss);
  useStyles('fd-uplot-styles', uplotCss);
  // NOTE: the transcript panel borrows the supervisor board's message styles.
  useStyles('fd-supervisor-styles', supervisorCss);
  const api = useSupervisorApi(client);
  const t = reportStrings();
  const fmt = useMemo(() => reportFormat(t, workbenchLocaleTag()), [t]);
  const toast = useToast();
  const [tz, setTz] = useState(browserTimeZone);
  const today = localDateOf(Date.now(), tz);
  const [from, setFrom] = useState(() => addDays(today, -6));
  const [to, setTo] = useState(() => addDays(today, 1));
  const [interval, setInterval] = useState<ReportRequest['interval']>('day');
  const [dimension, setDimension] = useState<Dimension>('queues');
  const [only, setOnly] = useState('');
  const [agents, setAgents] = useState<Agent[]>([]);
  const [queues, setQueues] = useState<{ id: string; name: string }[]>([]);
  const [drill, setDrill] = useState<Drill>();
  const [drillList, setDrillList] = useState<{ list?: ReportConversationList; error?: string }>({});
  const [openId, setOpenId] = useState<string>();
  const data = useReportData(client, { from, to, tz, interval, dimension });

  useEffect(() => {
    void api.agents.list().then(setAgents, () => undefined);
    void api.queues.list().then((list) => setQueues(list.map((q) => ({ id: q.id, name: q.name }))), () => undefined);
  }, [api]);
  useEffect(() => {
    if (!drill) return;
    let alive = true;
    setDrillList({});
    client.api.get<ReportConversationList>('/v1/reports/conversations', drill.query).then(
      (list) => alive && setDrillList({ list }),
      (err: unknown) => alive && setDrillList({ error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      alive = false;
    };
  }, [client, drill]);

  const nameOf = (kind: 'queue' | 'agent', id: string | null) => (id === null ? '—' : ((kind === 'queue' ? queues.find((q) => q.id === id)?.name : agents.find((a) => a.id === id)?.name) ?? id));
  const options = useMemo(() => {
    const main = data.main;
    if (!main) return [];
    if (main.dimension === 'queues') return main.report.queues.map((q) => ({ id: q.queueId, name: nameOf('queue', q.queueId) }));
    if (main.dimension === 'agents') return main.report.agents.map((a) => ({ id: a.agentId, name: nameOf('agent', a.agentId) }));
    return main.report.channels.map((c) => ({ id: c.channelId, name: c.channelId }));
  }, [data.main, agents, queues]);
  const charts: ChartData[] = useMemo(() => {
    const main = data.main;
    const selected = only || undefined;
    const byDimension = !main ? [] : main.dimension === 'queues' ? queueCharts(main.report, selected) : main.dimension === 'agents' ? agentCharts(main.report, selected) : channelCharts(main.report, selected);
    return data.csat ? [...byDimension, csatChart(data.csat)] : byDimension;
  }, [data.main, data.csat, only]);
  const labels = useMemo(() => data.buckets.map((b) => b.label), [data.buckets]);

  const filterKey = dimension === 'queues' ? 'queueId' : dimension === 'agents' ? 'agentId' : 'channelId';
  function pick(chart: ChartData, index: number) {
    const bucket = data.buckets[index];
    if (!bucket) return;
    const query: Record<string, string> = { from: String(bucket.start), to: String(bucket.end), tz };
    if (only) query[filterKey] = only;
    if (chart.id === 'csat') {
      query.rated = 'true';
      if (dimension !== 'agents') delete query[filterKey];
    }
    const title = only ? format(t.drillTitleFor, { chart: t.charts[chart.id], bucket: bucket.label, name: options.find((o) => o.id === only)?.name ?? only }) : format(t.drillTitle, { chart: t.charts[chart.id], bucket: bucket.label });
    setDrill({ title, query });
  }

  async function download(format: 'csv' | 'xlsx') {
    try {
      const query = new URLSearchParams({ from, to, tz, format, kind: 'conversations' });
      if (only) query.set(filterKey, only);
      const blob = await client.api.blob(`/v1/reports/export?${query}`);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `conversations-${from}-${to}.${format}`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      toast({ message: err instanceof Error ? err.message : String(err), tone: 'danger' });
    }
  }

  const csatTotal = data.csat?.total;
  return (
    <div className="fd-rep">
      <header className="fd-rep-head">
        <h1>{t.title}</h1>
        <form className="fd-rep-controls" onSubmit={(e) => e.preventDefault()} aria-label={t.range}>
          <Field label={t.from}><input type="date" value={from} onChange={(e) => e.target.value && setFrom(e.target.value)} /></Field>
          <Field label={t.to}><input type="date" value={to} onChange={(e) => e.target.value && setTo(e.target.value)} /></Field>
          <Field label={t.timeZone}><input value={tz} onChange={(e) => setTz(e.target.value)} onBlur={(e) => setTz(e.target.value.trim() || 'UTC')} spellCheck={false} /></Field>
          <Field label={t.interval}>
            <select value={interval} onChange={(e) => setInterval(e.target.value as ReportRequest['interval'])}>
              <option value="hour">{t.intervals.hour}</option><option value="day">{t.intervals.day}</option><option value="week">{t.intervals.week}</option>
            </select>
          </Field>
          <Field label={t.by}>
            <select value={dimension} onChange={(e) => { setDimension(e.target.value as Dimension); setOnly(''); }}>
              <option value="queues">{t.dimensions.queues}</option><option value="agents">{t.dimensions.agents}</option><option value="channels">{t.dimensions.channels}</option>
            </select>
          </Field>
          <Field label={t.show}>
            <select value={only} onChange={(e) => setOnly(e.target.value)}>
              <option value="">{t.all}</option>
              {options.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
            </select>
          </Field>
        </form>
        <div className="fd-rep-export">
          <Button size="sm" onClick={() => void download('csv')}>{t.exportCsv}</Button>
          <Button size="sm" onClick={() => void download('xlsx')}>{t.exportXlsx}</Button>
        </div>
      </header>
      {data.error && <p className="fd-rep-error" role="alert">{format(t.couldNotLoad, { error: data.error })}</p>}
      <p className="fd-rep-muted" aria-live="polite">
        {data.isLoading
          ? t.loading
          : !csatTotal || csatTotal.count === 0
            ? t.csatNone
            : format(t.csatSummary, {
                average: fmt.average(csatTotal.average),
                count: fmt.count(csatTotal.count),
                share: fmt.percent((csatTotal.distribution[3]! + csatTotal.distribution[4]!) / csatTotal.count),
              })}
      </p>
      <div className={openId ? 'fd-rep-layout fd-rep-layout--open' : 'fd-rep-layout'}>
        <div className="fd-rep-charts">
          {charts.map((chart) => (
            <BarChart key={`${dimension}-${chart.id}`} chart={chart} labels={labels} onPick={(i) => pick(chart, i)} />
          ))}
          {drill && <DrillDownList title={drill.title} list={drillList.list} error={drillList.error} nameOf={nameOf} fmt={fmt} onOpen={setOpenId} onClose={() => setDrill(undefined)} />}
        </div>
        {openId && <TranscriptPanel key={openId} api={api} conversationId={openId} nameOf={(id) => nameOf('agent', id)} fmt={fmt} onClose={() => setOpenId(undefined)} />}
      </div>
    </div>
  );
}
