import { describe, expect, it } from 'vitest';
import { sdpStreams } from './sdp-streams.ts';

describe('sdpStreams', () => {
  it('lists the audio and video m-sections by mid, skipping data channels', () => {
    const sdp = ['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:2', ''].join('\r\n');
    expect(sdpStreams(sdp)).toEqual([{ kind: 'audio', mid: '0' }, { kind: 'video', mid: '1' }]);
  });
});
