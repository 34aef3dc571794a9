import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeJsonApi {
  /** http://127.0.0.1:<port>: hand it to the service under test (e.g. as SCHEDULES_URL). */
  url: string;
  /** The paths asked, in order (query strings included). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A stand-in for another service's read API on a random loopback port: answers GET `path` (query string ignored) with
 * its JSON body, anything else 404. Type the bodies with the contracts' response types, so the stand-in cannot say
 * what the real service would not (e.g. `{ '/v1/editions': [scheduleEditionExample] }`).
 */
export async function startFakeJsonApi(bodies: Readonly<Record<string, unknown>>): Promise<FakeJsonApi> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const found = req.method === 'GET' && Object.hasOwn(bodies, path);
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(found ? bodies[path] : { status: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
