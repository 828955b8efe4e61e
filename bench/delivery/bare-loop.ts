// Yardstick for the dispatcher benchmark, its own process: a bare request loop — CONCURRENCY
// keep-alive POSTs of the same body (and content type) the dispatcher delivers, to the same
// receiver, as fast as possible for SECONDS. Prints one JSON line.
//   tsx bench/delivery/bare-loop.ts <url> <bodyFile> <concurrency> <seconds>
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';

const [, , url, bodyFile, concurrency, seconds] = process.argv;
const body = readFileSync(bodyFile!);
const agent = new Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const target = new URL(url!);
const headers = { 'content-type': 'application/cloudevents+json', 'content-length': String(body.length) };

function post(): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function main() {
  const end = performance.now() + Number(seconds) * 1000;
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const loop = async () => {
    while (performance.now() < end) {
      const status = await post();
      if (status >= 200 && status < 300) ok++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, loop));
  const elapsed = (performance.now() - start) / 1000;
  process.stdout.write(`${JSON.stringify({ ok, failed, seconds: elapsed, perSecond: ok / elapsed })}\n`);
  agent.destroy();
}

void main();
