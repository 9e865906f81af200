import fs from 'node:fs';
import http from 'node:http';

/**
 * The limit beside `fitScores` (issue 18): a bare Node HTTP server that reads and parses the request's JSON body, as
 * the API must, then answers with the API's own response to that request, recorded (RESPONSE_FILE), byte for byte:
 * what is left when neither GraphQL nor scoring runs.
 */
const response = fs.readFileSync(process.env.RESPONSE_FILE!);
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.statusCode = 400;
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(response);
  });
});
server.listen(Number(process.env.PORT ?? 4002), '127.0.0.1', () => console.error('limit server ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
