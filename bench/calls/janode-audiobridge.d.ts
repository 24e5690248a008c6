// Types for the part of janode 1.8's AudioBridge plugin (src/plugins/audiobridge-plugin.js) that the
// supervision bench uses: create/destroy a room, join it, configure with the JSEP offer (the answer
// comes back in the configured event), leave.

declare module 'janode/plugins/audiobridge' {
  import type { JanodeHandle, JanodePlugin } from 'janode';

  export interface AudioBridgeJsep {
    type: 'offer' | 'answer';
    sdp: string;
  }

  export interface AudioBridgeHandle extends JanodeHandle {
    feed: number | string | null;
    room: number | string | null;
    create(params: {
      room?: number;
      description?: string;
      permanent?: boolean;
      /** Hz of the mix (`sampling`): 8000, 16000, 24000 or 48000. Janus's default is 16000. */
      sampling_rate?: number;
      /** bit/s of the Opus encoder for each participant's mix (`default_bitrate`). */
      bitrate?: number;
      is_private?: boolean;
      talking_events?: boolean;
    }): Promise<{ room: number; permanent: boolean }>;
    destroy(params: { room: number; permanent?: boolean; secret?: string }): Promise<{ room: number }>;
    join(params: { room: number; feed?: number; display?: string; muted?: boolean; quality?: number; codec?: 'opus' | 'pcma' | 'pcmu' }): Promise<{
      room: number;
      feed: number;
      participants: { feed: number; display?: string; muted?: boolean; setup?: boolean }[];
    }>;
    configure(params: { muted?: boolean; display?: string; quality?: number; bitrate?: number; jsep?: AudioBridgeJsep }): Promise<{ room: number; feed: number; jsep?: AudioBridgeJsep }>;
    leave(): Promise<{ room: number; feed: number }>;
  }

  const AudioBridgePlugin: JanodePlugin<AudioBridgeHandle>;
  export default AudioBridgePlugin;
}
