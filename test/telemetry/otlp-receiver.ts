/**
 * A stand-in OTLP/HTTP collector for the tests: a node:http server on 127.0.0.1 (never another
 * address: tests must not open ports to the network), on a port the OS picks, recording every
 * request. It can answer with any status, or hang (accept and never answer) to test the time bound.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface ReceiverOptions {
  /** The status every request gets; default 200. */
  readonly status?: number;
  /** Accept requests and never answer them. */
  readonly hang?: boolean;
}

export interface Receiver {
  /** http://127.0.0.1:<port>, no trailing slash. */
  readonly origin: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      if (options.hang) return;
      const status = options.status ?? 200;
      // A real collector answers an ExportTraceServiceResponse in the request's encoding; an empty
      // one is `{}` in JSON and zero bytes in protobuf.
      const json = (request.headers['content-type'] ?? '').includes('json');
      response.writeHead(status, {'content-type': json ? 'application/json' : 'application/x-protobuf'});
      response.end(status < 300 && json ? '{}' : status < 300 ? '' : 'collector says no');
    });
  });
  const port = await listen(server);
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => closeServer(server),
  };
}

/** A port on 127.0.0.1 that was open a moment ago and is now closed: connections are refused. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: http.Server): Promise<void> {
  // Keep-alive and hanging connections would hold close() open; the test is done with them.
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
