// Yardstick for the dispatcher benchmark, its own process: a bare undici request loop — CONCURRENCY
// keep-alive POSTs of the same body (and content type) the dispatcher delivers, to the same
// receiver, as fast as possible for SECONDS, through one undici Pool of CONCURRENCY connections.
// Prints one JSON line.
//   tsx bench/delivery/bare-loop.ts <url> <bodyFile> <concurrency> <seconds>
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

const [, , url, bodyFile, concurrency, seconds] = process.argv;
const body = readFileSync(bodyFile!);
const target = new URL(url!);
const pool = new Pool(target.origin, { connections: Number(concurrency) });
const headers = { 'content-type': 'application/cloudevents+json' };

async function post(): Promise<number> {
  try {
    const res = await pool.request({ path: target.pathname, method: 'POST', headers, body });
    await res.body.dump();
    return res.statusCode;
  } catch {
    return 0;
  }
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
  await pool.close();
}

void main();
