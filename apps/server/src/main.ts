import { buildApp } from './app.ts';
import { loadConfig, describeConfig, type Config } from './config/config.ts';
import { describeDemo, ensureDemoData } from './demo/demo-data.ts';

/** loadConfig → buildApp → listen; on an empty data dir the demo data is created and printed. */
export async function start(config: Config = loadConfig()) {
  const app = await buildApp(config);
  const isEmpty = !(await app.services.tenancy.hasApps());
  const url = await app.listen();
  app.log.info({ url, ...describeConfig(config) }, 'Frontdesk listening');
  if (config.demo === 'auto' && (isEmpty || (await app.services.tenancy.findApp('demo')))) {
    process.stdout.write(`\n${describeDemo(await ensureDemoData(app, config))}\n\n`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return app;
}
