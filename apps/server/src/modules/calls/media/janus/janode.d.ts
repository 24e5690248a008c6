// Types for the part of janode (1.8, plain ESM JavaScript without declarations) that we use.
// Read from its source: src/janode.js, connection.js, session.js, handle.js, plugins/videoroom-plugin.js.

declare module 'janode' {
  import type { EventEmitter } from 'node:events';

  export interface JanodeAddress {
    url: string;
    apisecret?: string;
    token?: string;
  }

  export interface JanodeConfig {
    address: JanodeAddress | JanodeAddress[];
    /** Seconds between connection attempts (default 10). */
    retry_time_secs?: number;
    /** Attempts after the first (default 5). */
    max_retries?: number;
    is_admin?: boolean;
  }

  export interface JanodeConnection extends EventEmitter {
    readonly id: number;
    create(keepAliveIntervalSecs?: number): Promise<JanodeSession>;
    close(): Promise<void>;
    getInfo(): Promise<Record<string, unknown>>;
  }

  export interface JanodeSession extends EventEmitter {
    readonly id: number;
    attach<H>(plugin: JanodePlugin<H>): Promise<H>;
    destroy(): Promise<void>;
  }

  export interface JanodeHandle extends EventEmitter {
    readonly id: number;
    detach(): Promise<void>;
    hangup(): Promise<unknown>;
    trickle(candidate: object | object[] | null): Promise<unknown>;
    trickleComplete(): Promise<unknown>;
    message(body: object, jsep?: object): Promise<unknown>;
  }

  export interface JanodePlugin<H> {
    id: string;
    Handle: new (...args: never[]) => H;
    EVENT: Record<string, string>;
  }

  export interface JanodeCoreEvents {
    CONNECTION_CLOSED: 'connection_closed';
    CONNECTION_ERROR: 'connection_error';
    SESSION_DESTROYED: 'session_destroyed';
    HANDLE_DETACHED: 'handle_detached';
    HANDLE_ICE_FAILED: 'handle_ice_failed';
    HANDLE_HANGUP: 'handle_hangup';
    HANDLE_MEDIA: 'handle_media';
    HANDLE_WEBRTCUP: 'handle_webrtcup';
    HANDLE_SLOWLINK: 'handle_slowlink';
    HANDLE_TRICKLE: 'handle_trickle';
  }

  const Janode: {
    connect(config: JanodeConfig): Promise<JanodeConnection>;
    Logger: { setLevel(level: 'debug' | 'verbose' | 'info' | 'warning' | 'error' | 'none'): string };
    EVENT: JanodeCoreEvents;
  };
  export default Janode;
}

declare module 'janode/plugins/videoroom' {
  import type { JanodeHandle, JanodePlugin } from 'janode';

  export interface VideoRoomJsep {
    type: 'offer' | 'answer';
    sdp: string;
    e2ee?: boolean;
  }

  export interface VideoRoomStream {
    type: 'audio' | 'video' | 'data';
    mid: string;
    mindex: number;
    feed_id?: number;
    send?: boolean;
    active?: boolean;
  }

  export interface VideoRoomHandle extends JanodeHandle {
    feed: number | null;
    room: number | null;
    create(params: {
      room?: number;
      description?: string;
      max_publishers?: number;
      permanent?: boolean;
      is_private?: boolean;
      secret?: string;
      notify_joining?: boolean;
      record?: boolean;
      rec_dir?: string;
      audiocodec?: string;
      videocodec?: string;
      fir_freq?: number;
    }): Promise<{ room: number; permanent: boolean }>;
    destroy(params: { room: number; secret?: string; permanent?: boolean }): Promise<{ room: number }>;
    exists(params: { room: number }): Promise<{ room: number; exists: boolean }>;
    joinConfigurePublisher(params: {
      room: number;
      feed?: number;
      display?: string;
      record?: boolean;
      filename?: string;
      jsep: VideoRoomJsep;
    }): Promise<{ room: number; feed: number; jsep?: VideoRoomJsep; publishers: { feed: number }[] }>;
    configure(params: {
      jsep?: VideoRoomJsep;
      restart?: boolean;
      update?: boolean;
      record?: boolean;
      streams?: { mid: string; send?: boolean; keyframe?: boolean }[];
      keyframe?: boolean;
    }): Promise<{ room: number; feed?: number; configured: string; streams?: VideoRoomStream[]; jsep?: VideoRoomJsep }>;
    joinSubscriber(params: {
      room: number;
      streams: { feed: number; mid?: string }[];
      autoupdate?: boolean;
      use_msid?: boolean;
    }): Promise<{ room: number; streams?: VideoRoomStream[]; jsep?: VideoRoomJsep }>;
    start(params: { jsep: VideoRoomJsep }): Promise<{ room: number; started: string }>;
    leave(): Promise<{ room: number }>;
    kick(params: { room: number; feed: number; secret?: string }): Promise<{ room: number; feed: number }>;
  }

  const VideoRoomPlugin: JanodePlugin<VideoRoomHandle>;
  export default VideoRoomPlugin;
}
