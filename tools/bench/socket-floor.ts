/**
 * The floor under a delivery: what one write of an update's bytes to a client's TCP socket costs this machine's kernel
 * and Node, with nothing else around it (no hub, no outlet, no framing). results-distribution's CPU per delivery
 * (tools/bench/ods.ts) is compared with it.
 *
 *   npx tsx tools/bench/socket-floor.ts [--clients 1000] [--bytes 5000] [--rounds 200]
 *
 * A server holds --clients loopback connections whose other ends are read by a second process (as the benchmark's
 * clients are); each round writes --bytes to every connection, then lets the event loop run. Prints the server's CPU
 * (user + system) per write, one frame per write and two frames per write (cork/uncork: one writev).
 */
import { fork } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

async function reader(port: number, clients: number): Promise<void> {
  const sockets: Socket[] = [];
  for (let i = 0; i < clients; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('data', () => undefined);
    sockets.push(socket);
  }
  process.on('message', () => process.exit(0));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--reader') return reader(Number(process.argv[3]), Number(process.argv[4]));
  const clients = option('clients', 1000);
  const bytes = option('bytes', 5000);
  const rounds = option('rounds', 200);
  const server = createServer();
  const connections: Socket[] = [];
  server.on('connection', (socket) => {
    socket.setNoDelay(true);
    connections.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const child = fork(__filename, ['--reader', String(port), String(clients)], { execArgv: ['--import', 'tsx'] });
  const deadline = Date.now() + 30_000;
  while (connections.length < clients) {
    if (Date.now() > deadline) throw new Error(`only ${connections.length} of ${clients} connections after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const frame = Buffer.alloc(bytes, 0x61);
  console.log(`[socket-floor] ${clients} loopback connections, ${bytes} bytes per frame, ${rounds} rounds, reader in another process`);
  for (const perWrite of [1, 2]) {
    const before = process.cpuUsage();
    for (let round = 0; round < rounds; round++) {
      for (const socket of connections) {
        if (perWrite === 1) {
          socket.write(frame);
        } else {
          socket.cork();
          socket.write(frame);
          socket.write(frame);
          socket.uncork();
        }
      }
      // Let the reader catch up, so that the buffers do not grow.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const used = process.cpuUsage(before);
    const frames = rounds * clients * perWrite;
    console.log(
      `[socket-floor] ${perWrite} frame${perWrite === 1 ? '' : 's'} per write: ${((used.user + used.system) / frames).toFixed(2)} µs CPU per frame ` +
        `(user ${(used.user / frames).toFixed(2)}, system ${(used.system / frames).toFixed(2)})`,
    );
  }
  child.send('done');
  for (const socket of connections) socket.destroy();
  server.close();
}

main().then(
  () => undefined,
  (error: unknown) => {
    console.error(`[socket-floor] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
