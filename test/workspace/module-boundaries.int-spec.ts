import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '@rabt/testing';

// Lints deliberate violations as if they were the content of real files, with the
// workspace's own eslint.config.mjs, and expects the named rule to fail them.
let eslint: ESLint;

async function ruleIdsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(WORKSPACE_ROOT, file) });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

beforeAll(() => {
  eslint = new ESLint({ cwd: WORKSPACE_ROOT });
});

describe('module boundaries', () => {
  it('the real file lints clean (so the failures below come from the probes alone)', async () => {
    const real = readFileSync(join(WORKSPACE_ROOT, 'apps/gateway/src/main.ts'), 'utf8');
    expect(await ruleIdsFor('apps/gateway/src/main.ts', real)).toEqual([]);
  });

  it('an app importing another app fails lint', async () => {
    const code = `import { AppModule } from '../../schema-registry/src/app.module';\nexport const leaked = AppModule;\n`;
    expect(await ruleIdsFor('apps/gateway/src/main.ts', code)).toContain('@nx/enforce-module-boundaries');
  });

  it('a lib importing an app fails lint', async () => {
    const code = `import { AppModule } from '../../../apps/gateway/src/app.module';\nexport const leaked = AppModule;\n`;
    expect(await ruleIdsFor('libs/kafka/src/index.ts', code)).toContain('@nx/enforce-module-boundaries');
  });

  it('the agency simulator reaches Rabt only through the SDK: another Rabt library fails lint', async () => {
    const real = readFileSync(join(WORKSPACE_ROOT, 'apps/agency-simulator/src/main.ts'), 'utf8');
    expect(await ruleIdsFor('apps/agency-simulator/src/main.ts', real)).toEqual([]);
    for (const lib of ['@rabt/kafka', '@rabt/contracts', '@rabt/config']) {
      const code = `import * as leaked from '${lib}';\nexport const x = leaked;\n`;
      expect(await ruleIdsFor('apps/agency-simulator/src/main.ts', code), lib).toContain('@nx/enforce-module-boundaries');
    }
  });

  it('kafkajs outside libs/kafka fails lint, inside it passes', async () => {
    const code = `import { Kafka } from 'kafkajs';\nexport const client = new Kafka({ brokers: ['x:1'] });\n`;
    expect(await ruleIdsFor('apps/gateway/src/main.ts', code)).toContain('no-restricted-imports');
    expect(await ruleIdsFor('libs/persistence/src/index.ts', code)).toContain('no-restricted-imports');
    expect(await ruleIdsFor('libs/kafka/src/index.ts', code)).not.toContain('no-restricted-imports');
  });

  it('reading process.env outside @rabt/config fails lint', async () => {
    const code = `export const port = process.env['GATEWAY_PORT'];\n`;
    expect(await ruleIdsFor('apps/gateway/src/main.ts', code)).toContain('no-restricted-properties');
  });

  it('browser code (the console) importing a Node-only library or a Node built-in fails lint; its Node-side tests may', async () => {
    const real = readFileSync(join(WORKSPACE_ROOT, 'apps/console/src/app/route.ts'), 'utf8');
    expect(await ruleIdsFor('apps/console/src/app/route.ts', real)).toEqual([]);
    const nodeLib = `import { testStack } from '@rabt/testing';\nexport const x = testStack;\n`;
    expect(await ruleIdsFor('apps/console/src/app/route.ts', nodeLib)).toContain('@nx/enforce-module-boundaries');
    const builtin = `import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n`;
    expect(await ruleIdsFor('apps/console/src/app/route.ts', builtin)).toContain('no-restricted-imports');
    expect(await ruleIdsFor('apps/console/test/receiver.ts', nodeLib)).not.toContain('@nx/enforce-module-boundaries');
  });

  it('a floating promise fails lint', async () => {
    const code = `async function work(): Promise<void> {}\nwork();\n`;
    expect(await ruleIdsFor('apps/gateway/src/main.ts', code)).toContain('@typescript-eslint/no-floating-promises');
  });
});
