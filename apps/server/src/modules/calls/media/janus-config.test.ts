import { describe, expect, it } from 'vitest';
import { janusConfigFiles } from './janus-config.ts';

const base = { wsPort: 41234, apiSecret: 's3cret', configDir: '/data/janus', libDir: '/usr/lib/x86_64-linux-gnu/janus' };

describe('janusConfigFiles', () => {
  it('exposes only the WebSocket API on loopback, behind the API secret, without the admin API or HTTP', () => {
    const files = janusConfigFiles(base);
    expect(Object.keys(files).sort()).toEqual(['janus.jcfg', 'janus.plugin.audiobridge.jcfg', 'janus.plugin.videoroom.jcfg', 'janus.transport.websockets.jcfg']);
    const ws = files['janus.transport.websockets.jcfg']!;
    expect(ws).toContain('ws_port = 41234');
    expect(ws).toContain('ws_ip = "127.0.0.1"');
    expect(ws).toContain('admin_ws = false');
    const janus = files['janus.jcfg']!;
    expect(janus).toContain('api_secret = "s3cret"');
    expect(janus).toContain('token_auth = false');
    expect(janus).toMatch(/transports: \{\n\tdisable = "[^"]*libjanus_http\.so/);
    expect(janus).toContain('plugins_folder = "/usr/lib/x86_64-linux-gnu/janus/plugins"');
    expect(janus).toMatch(/plugins: \{\n\tdisable = "(?![^"]*videoroom)[^"]*"/);
  });

  it('writes the NAT and ICE settings it is given, and none it is not', () => {
    const plain = janusConfigFiles(base)['janus.jcfg']!;
    expect(plain).not.toMatch(/ice_enforce_list|nat_1_1_mapping|stun_server|turn_server/);
    const namespaced = janusConfigFiles({ ...base, iceEnforceList: '127.0.0.2' })['janus.jcfg']!;
    expect(namespaced).toContain('ice_enforce_list = "127.0.0.2"');
    const cloud = janusConfigFiles({ ...base, nat1To1Mapping: '203.0.113.7', stunServer: 'stun.example.test:3478', turn: { host: 'turn.example.test', port: 3478, transport: 'udp', username: 'u', password: 'p' } })['janus.jcfg']!;
    expect(cloud).toContain('nat_1_1_mapping = "203.0.113.7"');
    expect(cloud).toContain('keep_private_host = false');
    expect(cloud).toContain('stun_server = "stun.example.test"\n\tstun_port = 3478');
    expect(cloud).toContain('turn_type = "udp"');
  });

  it('refuses a value that would break out of its quotes', () => {
    expect(() => janusConfigFiles({ ...base, iceEnforceList: 'eth0"\n\tapi_secret = "x' })).toThrow(/invalid character/);
  });
});
