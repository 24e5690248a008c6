import type { AgentReport, ChannelReport, CsatReport, QueueReport, ReportBucket } from '@frontdesk/protocol';
import type { AgentClient } from '@frontdesk/sdk-agent';
import { useEffect, useState } from 'react';
import type { Dimension } from '../state/dashboard-series.ts';

export interface ReportRequest {
  from: string;
  to: string;
  tz: string;
  interval: 'hour' | 'day' | 'week';
  dimension: Dimension;
}

export type DimensionReport = { dimension: 'queues'; report: QueueReport } | { dimension: 'agents'; report: AgentReport } | { dimension: 'channels'; report: ChannelReport };

export interface ReportData {
  main: DimensionReport | undefined;
  csat: CsatReport | undefined;
  buckets: ReportBucket[];
  error: string | undefined;
  isLoading: boolean;
}

/** Reads the dimension's report and the CSAT report of the range when the request changes. */
export function useReportData(client: AgentClient, request: ReportRequest): ReportData {
  const [state, setState] = useState<ReportData>({ main: undefined, csat: undefined, buckets: [], error: undefined, isLoading: true });
  const { from, to, tz, interval, dimension } = request;
  useEffect(() => {
    let alive = true;
    setState((s) => ({ ...s, isLoading: true }));
    const query = { from, to, tz, interval };
    const main: Promise<DimensionReport> =
      dimension === 'queues'
        ? client.api.get<QueueReport>('/v1/reports/queues', query).then((report) => ({ dimension, report }))
        : dimension === 'agents'
          ? client.api.get<AgentReport>('/v1/reports/agents', query).then((report) => ({ dimension, report }))
          : client.api.get<ChannelReport>('/v1/reports/channels', query).then((report) => ({ dimension, report }));
    Promise.all([main, client.api.get<CsatReport>('/v1/reports/csat', query)])
      .then(([m, csat]) => alive && setState({ main: m, csat, buckets: m.report.buckets, error: undefined, isLoading: false }))
      .catch((err: unknown) => alive && setState((s) => ({ ...s, error: err instanceof Error ? err.message : String(err), isLoading: false })));
    return () => {
      alive = false;
    };
  }, [client, from, to, tz, interval, dimension]);
  return state;
}
