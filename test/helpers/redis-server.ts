/**
 * A real redis-server (Debian's) for the tests: started on a free port of 127.0.0.1 with
 * nothing saved to disk, stopped at the end. It failing to start fails the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { once } from 'node:events';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop`). */
  start(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const failed = once(child, 'error');
      let output = '';
      child.stdout!.on('data', (data: Buffer) => (output += data.toString()));
      await Promise.race([
        waitForPort(port),
        failed.then(([error]) => {
          throw new Error(`redis-server did not start: ${(error as Error).message}`);
        }),
        once(child, 'exit').then(([code]) => {
          throw new Error(`redis-server exited with ${String(code)}: ${output}`);
        }),
      ]);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
  await server.start();
  return server;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function waitForPort(port: number): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (connected) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`redis-server is not listening on ${port}`);
}
