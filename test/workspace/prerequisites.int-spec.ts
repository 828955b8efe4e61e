import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '@rabt/testing';

const run = promisify(execFile);
const SCRIPT = join(WORKSPACE_ROOT, 'scripts/prerequisites.sh');

/** A PATH with the tools the script uses, less `missing`. */
function pathWithout(...missing: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'rabt-prereq-path-'));
  for (const tool of ['bash', 'sed', 'id', 'node', 'java', 'mvn', 'openssl', 'git', 'apt-get', 'sudo', 'dirname']) {
    if (missing.includes(tool)) continue;
    const found = execFileSync('bash', ['-c', `command -v ${tool} || true`]).toString().trim();
    if (found) symlinkSync(found, join(dir, tool));
  }
  return dir;
}

async function prerequisites(purpose: string, env: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await run('bash', [SCRIPT, purpose], { env: { ...process.env, ...env }, cwd: WORKSPACE_ROOT, timeout: 30_000 });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('scripts/prerequisites.sh (run first by npm test and npm run demo)', () => {
  it('passes on this machine, which has everything the tests need', async () => {
    const res = await prerequisites('test', { RABT_NO_INSTALL: '1' });
    expect(res.out).toContain('[prerequisites] ok: node');
    expect(res.code).toBe(0);
  });

  it('without Chromium and without leave to install it, stops at once naming the exact command', async () => {
    const res = await prerequisites('test', { RABT_NO_INSTALL: '1', RABT_CHROMIUM: '/nonexistent/chromium' });
    expect(res.code).toBe(1);
    expect(res.out).toContain('Chromium at /nonexistent/chromium');
    expect(res.out).toContain('sudo apt-get install -y --no-install-recommends chromium');
  });

  it('names every missing tool at once: Java, OpenSSL, and Maven while the broker jars are not cached', async () => {
    const res = await prerequisites('demo', { PATH: pathWithout('java', 'mvn', 'openssl'), RABT_CACHE_DIR: mkdtempSync(join(tmpdir(), 'rabt-empty-cache-')) });
    expect(res.code).toBe(1);
    expect(res.out).toContain('Java 17+: apt-get install -y openjdk-17-jre-headless');
    expect(res.out).toContain('Apache Maven 3.8+');
    expect(res.out).toContain('OpenSSL (the local broker');
  });

  it('asks for neither Java nor Maven when KAFKA_BROKERS names another cluster', async () => {
    const res = await prerequisites('demo', { PATH: pathWithout('java', 'mvn'), KAFKA_BROKERS: 'kafka.example.internal:9092' });
    expect(res.out).toContain('[prerequisites] ok');
    expect(res.code).toBe(0);
  });
});
