import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.ts';
import { newSecret } from '../platform/ids.ts';
import type { FrontdeskApp } from '../app.ts';

export const DEMO_APP_ID = 'demo';

export interface DemoData {
  appId: string;
  agents: { email: string; password: string; role: string }[];
  visitorUrl: string;
  agentUrl: string;
  /** The agent workbench's sign-in, with the demo app id filled in. */
  workbenchUrl: string;
  docsUrl: string;
}

/**
 * Creates the demo app with two agents (passwords generated, kept in the data dir with
 * owner-only permissions) unless it exists; returns where to open it.
 */
export async function ensureDemoData(app: FrontdeskApp, config: Config): Promise<DemoData> {
  const file = path.join(config.dataDir, 'demo-credentials.json');
  const { tenancy, identity, routing, channels } = app.services;
  let agents: DemoData['agents'];
  if (await tenancy.findApp(DEMO_APP_ID)) {
    agents = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).agents : [];
  } else {
    await tenancy.createApp({ id: DEMO_APP_ID, name: 'Demo' });
    agents = [
      { email: 'alice@demo.local', password: newSecret(9), role: 'admin' },
      { email: 'bob@demo.local', password: newSecret(9), role: 'agent' },
    ];
    // Chats are taken by hand (no chat queue); calls from the widget ring the conversation's agent,
    // then the "Calls" queue, where both agents answer audio and video.
    const calls = await routing.createQueue(DEMO_APP_ID, { name: 'Calls', type: 'video_click_to_call', ringTimeoutSeconds: 30, maxWaitSeconds: 120, wrapUpSeconds: 0 });
    for (const agent of agents) {
      const created = await identity.createAgent(DEMO_APP_ID, { email: agent.email, password: agent.password, role: agent.role as 'admin', mediaTypes: ['chat', 'audio', 'video'], maxConcurrentChats: 5 });
      await routing.setSkills(DEMO_APP_ID, created.id, { skills: [{ queueId: calls.id, level: 3, isDefault: true }] });
    }
    await channels.updateChannel(DEMO_APP_ID, (await channels.resolveChannel(DEMO_APP_ID)).id, { calls: { audio: true, video: true, queueId: calls.id } });
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, JSON.stringify({ appId: DEMO_APP_ID, agents }, null, 2), { mode: 0o600 });
  }
  return {
    appId: DEMO_APP_ID,
    agents,
    visitorUrl: `${config.publicUrl}/demo?appId=${DEMO_APP_ID}`,
    agentUrl: `${config.publicUrl}/demo/agent`,
    workbenchUrl: `${config.publicUrl}/workbench/?appId=${DEMO_APP_ID}`,
    docsUrl: `${config.publicUrl}/docs`,
  };
}

export function describeDemo(demo: DemoData): string {
  return [
    'Frontdesk demo',
    `  visitor page : ${demo.visitorUrl}`,
    `  workbench    : ${demo.workbenchUrl}   (app id: ${demo.appId}; sign in as an agent below)`,
    ...demo.agents.map((a) => `  ${a.role.padEnd(12)} : ${a.email} / ${a.password}`),
    `  API docs     : ${demo.docsUrl}`,
  ].join('\n');
}
