/**
 * A dummy OpenTelemetry collector for the tracing cost runs (docs/tracing.md#cost): an OTLP/HTTP endpoint that accepts
 * POST /v1/traces, answers 200 and drops the spans, counting requests, bytes and spans. It runs as a process of its
 * own, so what the services pay is what they pay to make, batch, serialise and send their spans, not to store them.
 *
 *   npx tsx tools/bench/otlp-sink.ts --port 14318
 *   OTEL_TRACES_ENABLED=true OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:14318 npx tsx tools/bench/ods.ts --spawn ...
 *
 * Prints its counts every 10 s and when stopped (SIGINT, SIGTERM).
 */
import { createServer } from 'node:http';

const portArg = process.argv.indexOf('--port');
const port = Number(portArg >= 0 ? process.argv[portArg + 1] : 14318);
const counts = { requests: 0, bytes: 0, spans: 0 };

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    counts.requests++;
    counts.bytes += body.length;
    if (req.url === '/v1/traces') {
      // OTLP/JSON: one "spanId" per span (a parent's id is "parentSpanId").
      counts.spans += body.toString('utf8').split('"spanId"').length - 1;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

const report = (): void => console.log(`${new Date().toISOString()} otlp-sink: ${counts.requests} requests, ${counts.spans} spans, ${counts.bytes} bytes`);
setInterval(report, 10_000).unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    report();
    server.close(() => process.exit(0));
  });
}
server.listen(port, '127.0.0.1', () => console.log(`otlp-sink listening on http://127.0.0.1:${port}/v1/traces`));
