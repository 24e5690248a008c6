import type { MediaKind } from '../media-server.ts';

export interface SdpStream {
  kind: MediaKind;
  mid: string;
}

/**
 * The audio and video m-sections of an SDP with their mids, in order. Used to address a publisher's
 * streams by kind (Janus configures streams by mid). Data channels and sections without a mid are skipped.
 */
export function sdpStreams(sdp: string): SdpStream[] {
  const streams: SdpStream[] = [];
  let kind: string | undefined;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) kind = line.slice(2).split(' ')[0];
    else if (line.startsWith('a=mid:') && (kind === 'audio' || kind === 'video')) {
      streams.push({ kind, mid: line.slice('a=mid:'.length).trim() });
    }
  }
  return streams;
}
