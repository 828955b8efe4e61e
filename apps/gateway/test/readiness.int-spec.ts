import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createService } from '@rabt/runtime';
import { ephemeralBroker, eventually, testStack } from '@rabt/testing';
import { AppModule } from '../src/app.module';
import { loadGatewayConfig } from '../src/config/gateway.config';

// The broker this test stops is its own (other ports, own data), never the shared one.
const broker = ephemeralBroker(19192);
let app: NestFastifyApplication;

async function ready() {
  const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/health/ready' });
  return { status: res.statusCode, body: res.json() as { status: string; details: Record<string, { status: string }> } };
}

beforeAll(async () => {
  await broker.start();
  const config = loadGatewayConfig({ ...broker.kafkaEnv('gateway'), DATABASE_URL: testStack.databaseUrl, LOG_LEVEL: 'warn' });
  app = await createService({ rootModule: AppModule.forRoot(config), config });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
});

afterAll(async () => {
  await app?.close();
  await broker.destroy();
});

describe('gateway /health/ready', () => {
  it('is up while Kafka and Postgres both answer', async () => {
    const { status, body } = await ready();
    expect(status).toBe(200);
    expect(body.details['kafka']?.status).toBe('up');
    expect(body.details['database']?.status).toBe('up');
  });

  it('goes unhealthy (503, kafka down) when the broker stops, and healthy again when it is back', async () => {
    await broker.stop();
    await eventually(async () => (await ready()).status === 503, 30_000);
    const down = await ready();
    expect(down.body.status).toBe('error');
    expect(down.body.details['kafka']?.status).toBe('down');
    expect(down.body.details['database']?.status).toBe('up');

    await broker.start();
    await eventually(async () => (await ready()).status === 200, 60_000);
  });

  it('stays live while the broker is away: liveness says nothing about dependencies', async () => {
    const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/health/live' });
    expect(res.statusCode).toBe(200);
  });

  it('answers unknown routes with problem+json and a stable code', async () => {
    const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/no/such/route' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', type: 'https://rabt.gov.om/problems/not-found', instance: '/no/such/route' });
  });

  it('exposes Prometheus metrics, HTTP requests counted by route', async () => {
    const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/rabt_http_requests_total\{method="GET",route="\/health\/ready",status="200",service="gateway"\} \d+/);
    expect(res.body).toContain('rabt_process_cpu_seconds_total');
  });
});
