import type { Wallboard } from '@frontdesk/protocol';
import type { AgentClient } from '@frontdesk/sdk-agent';
import { useEffect, useState } from 'react';

export interface LiveWallboard {
  wallboard: Wallboard | undefined;
  /** When this tab received it: the oldest waits count on from there (the server's clock may differ). */
  receivedAt: number;
  error: string | undefined;
}

/**
 * The wallboard, pushed: read once (which also tells the server this screen's zone and threshold),
 * then every `wallboard` frame the server sends to supervisors replaces it. Read again only after a
 * reconnect (frames sent while the socket was down are gone). No polling.
 */
export function useWallboard(client: AgentClient, tz: string, serviceLevelSeconds: number): LiveWallboard {
  const [state, setState] = useState<LiveWallboard>({ wallboard: undefined, receivedAt: 0, error: undefined });
  useEffect(() => {
    let alive = true;
    const load = () =>
      client.api
        .get<Wallboard>('/v1/reports/wallboard', { tz, serviceLevelSeconds })
        .then((wallboard) => alive && setState({ wallboard, receivedAt: Date.now(), error: undefined }))
        .catch((err: unknown) => alive && setState((s) => ({ ...s, error: err instanceof Error ? err.message : String(err) })));
    void load();
    const offs = [
      client.on('wallboard', ({ wallboard }) => setState({ wallboard, receivedAt: Date.now(), error: undefined })),
      client.on('connectionStateChanged', ({ state: connection }) => {
        if (connection === 'connected') void load();
      }),
    ];
    return () => {
      alive = false;
      for (const off of offs) off();
    };
  }, [client, tz, serviceLevelSeconds]);
  return state;
}
