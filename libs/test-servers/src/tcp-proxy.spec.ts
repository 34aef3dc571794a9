import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { TcpProxy } from './tcp-proxy';
import { waitFor } from './wait-for';

/** An echo server on the loopback: what the proxy forwards to. */
async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.pipe(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

/** A client that collects what it receives. */
async function client(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<Error | undefined> }> {
  const socket = connect({ host: '127.0.0.1', port });
  let data = '';
  socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
  const closed = new Promise<Error | undefined>((resolve) => {
    let error: Error | undefined;
    socket.on('error', (e) => (error = e));
    socket.on('close', () => resolve(error));
  });
  await once(socket, 'connect');
  return { socket, received: () => data, closed };
}

describe('TcpProxy', () => {
  let echo: { server: Server; port: number };
  let proxy: TcpProxy;

  beforeEach(async () => {
    echo = await echoServer();
    proxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: echo.port });
  });

  afterEach(async () => {
    await proxy.close();
    echo.server.close();
  });

  it('forwards both ways and counts connections', async () => {
    const c = await client(proxy.port);
    c.socket.write('hello');
    await waitFor(() => c.received() === 'hello');
    expect(proxy.connectionCount).toBe(1);
    c.socket.end();
    await c.closed;
    await waitFor(() => proxy.connectionCount === 0);
  });

  it('holds bytes while paused and delivers them in order on resume', async () => {
    const c = await client(proxy.port);
    proxy.pause();
    c.socket.write('a');
    c.socket.write('b');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(c.received()).toBe('');
    proxy.resume();
    await waitFor(() => c.received() === 'ab');
    c.socket.destroy();
  });

  it('holds new connections made while paused', async () => {
    proxy.pause();
    const c = await client(proxy.port);
    c.socket.write('late');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(c.received()).toBe('');
    proxy.resume();
    await waitFor(() => c.received() === 'late');
    c.socket.destroy();
  });

  it('adds latency to each direction', async () => {
    const c = await client(proxy.port);
    proxy.setLatency(60);
    const started = Date.now();
    c.socket.write('x');
    await waitFor(() => c.received() === 'x', { intervalMs: 5 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(110); // 60 ms there, 60 ms back
    c.socket.destroy();
  });

  it('resets open connections and refuses new ones while told to', async () => {
    const c = await client(proxy.port);
    proxy.dropConnections();
    expect(await c.closed).toMatchObject({ code: 'ECONNRESET' });

    proxy.refuseConnections();
    const refused = connect({ host: '127.0.0.1', port: proxy.port });
    const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNRESET');

    proxy.refuseConnections(false);
    const again = await client(proxy.port);
    again.socket.write('back');
    await waitFor(() => again.received() === 'back');
    again.socket.destroy();
  });

  it('sends new connections to another target after retarget, leaving the open ones where they are', async () => {
    const upper = createServer((socket) => socket.on('data', (chunk: Buffer) => socket.write(chunk.toString().toUpperCase())));
    upper.listen(0, '127.0.0.1');
    await once(upper, 'listening');
    try {
      const before = await client(proxy.port);
      const address = upper.address();
      proxy.retarget('127.0.0.1', typeof address === 'object' && address ? address.port : 0);
      const after = await client(proxy.port);
      before.socket.write('old');
      after.socket.write('new');
      await waitFor(() => before.received() === 'old' && after.received() === 'NEW');
      before.socket.destroy();
      after.socket.destroy();
    } finally {
      upper.close();
    }
  });

  it('resets the client when the target is down, and rewrites URLs to itself', async () => {
    const dead = await TcpProxy.forUrl('postgres://u:p@127.0.0.1:1/db');
    try {
      expect(dead.rewrite('postgres://u:p@127.0.0.1:1/db?sslmode=disable')).toBe(`postgres://u:p@127.0.0.1:${dead.port}/db?sslmode=disable`);
      const c = await client(dead.port);
      expect(await c.closed).toMatchObject({ code: 'ECONNRESET' });
    } finally {
      await dead.close();
    }
  });
});
