/**
 * The benchmark's webhook receiver, in its own process: node:http on loopback, answers every
 * POST with 204 once its body is read, and counts them. Tells its port over IPC and answers
 * `count` messages with the number of requests so far and its CPU time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

let requests = 0;
const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    requests++;
    response.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('message', (message: { type: string }) => {
  if (message.type === 'count') process.send!({ requests, cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000) });
  if (message.type === 'stop') server.close(() => process.exit(0));
});
