import { parseArgs } from 'node:util';
import { Email, Password, Role } from '@frontdesk/protocol';
import { z } from 'zod';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config/config.ts';
import { describeDemo, ensureDemoData } from './demo/demo-data.ts';
import { DomainError } from './platform/errors.ts';
import { openStorage, StorageOpenError } from './platform/storage/storage.ts';
import { start } from './main.ts';

const USAGE = `Usage: frontdesk <command>

  start                                         start the server (default)
  migrate                                       apply database migrations and exit
  app create --name N [--id ID]                 create an app; prints it with its secrets as JSON
  agent create --app ID --email E --password P [--role agent|supervisor|admin] [--name N]
  analytics rebuild --app ID [--wait]           rebuild the reports of an app's closed conversations (jobs the
                                                running server's workers run; --wait runs them here and waits)
  demo                                          create the demo app, agents and pages; print where to open them

Configuration comes from the environment (see README.md).`;

async function main(argv: string[]): Promise<void> {
  const [command = 'start', sub] = argv;
  const config = loadConfig();
  switch (command) {
    case 'start':
      await start(config);
      return;
    case 'migrate': {
      const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      await storage.close();
      console.log('migrations applied');
      return;
    }
    case 'app': {
      if (sub !== 'create') break;
      const { values } = parseArgs({ args: argv.slice(2), options: { name: { type: 'string' }, id: { type: 'string' } } });
      const input = z.object({ name: z.string().min(1).max(100), id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - (at most 64)').optional() }).parse(values);
      await withApp(config, async (app) => console.log(JSON.stringify(await app.services.tenancy.createApp(input), null, 2)));
      return;
    }
    case 'agent': {
      if (sub !== 'create') break;
      const { values } = parseArgs({
        args: argv.slice(2),
        options: { app: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
      });
      const input = z.object({ app: z.string().min(1), email: Email, password: Password, role: Role.default('agent'), name: z.string().min(1).optional() }).parse(values);
      await withApp(config, async (app) => {
        const agent = await app.services.identity.createAgent(input.app, { ...input, mediaTypes: ['chat'], maxConcurrentChats: 5 });
        console.log(JSON.stringify(agent, null, 2));
      });
      return;
    }
    case 'analytics': {
      if (sub !== 'rebuild') break;
      const { values } = parseArgs({ args: argv.slice(2), options: { app: { type: 'string' }, wait: { type: 'boolean' } } });
      const input = z.object({ app: z.string().min(1), wait: z.boolean().optional() }).parse(values);
      await withApp(config, async (app) => {
        await app.services.tenancy.getApp(input.app);
        const enqueued = await app.services.analytics.rebuild(input.app);
        if (input.wait) await app.services.analytics.runOnce();
        console.log(JSON.stringify({ app: input.app, conversations: enqueued, status: input.wait ? 'written' : 'queued' }));
      });
      return;
    }
    case 'demo':
      await withApp(config, async (app) => console.log(describeDemo(await ensureDemoData(app, config))));
      return;
    case 'help':
    case '--help':
      console.log(USAGE);
      return;
  }
  console.error(USAGE);
  process.exitCode = 2;
}

async function withApp(config: ReturnType<typeof loadConfig>, fn: (app: Awaited<ReturnType<typeof buildApp>>) => Promise<void>): Promise<void> {
  const app = await buildApp({ ...config, logLevel: 'warn' });
  try {
    await fn(app);
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof ConfigError) console.error(err.message);
  else if (err instanceof z.ZodError) console.error(`Invalid arguments:\n${err.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`).join('\n')}`);
  else if (err instanceof DomainError) console.error(`${err.code}: ${err.message}`);
  else if (err instanceof StorageOpenError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
