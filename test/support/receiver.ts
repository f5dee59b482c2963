import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: Record<string, unknown> & { ticketId: string };
  readonly answered: number;
}

/**
 * A tenant's webhook endpoint for tests: records every request and answers with the status
 * `respond` chooses (by ticket and by how many requests that ticket has had).
 */
export const startReceiver = async (respond: (ticketId: string, nth: number) => number = () => 200) => {
  const received: Received[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const json = JSON.parse(body) as Received['json'];
    const nth = received.filter((r) => r.json.ticketId === json.ticketId).length + 1;
    const status = respond(json.ticketId, nth);
    received.push({ headers: req.headers, body, json, answered: status });
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks/heed`;
  return {
    url,
    received,
    forTicket: (ticketId: string) => received.filter((r) => r.json.ticketId === ticketId),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
