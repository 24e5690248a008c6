#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx); no build step is needed to start the server.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
