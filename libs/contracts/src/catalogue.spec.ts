import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_GENERATED_FILE, generateCatalogueSource, isAvroString, topLevelFields } from './codegen';
import { catalogueEntry, CATALOGUE, EventTypes, findCatalogueEntry, isEventType, subjectFor, UnknownEventTypeException, type EventData } from './index';

const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..');

describe('the generated catalogue', () => {
  it('is what the generator makes of schemas/ now (run `npm run contracts:generate` after a schema change)', () => {
    const committed = readFileSync(join(WORKSPACE_ROOT, CATALOGUE_GENERATED_FILE), 'utf8');
    expect(committed, `${CATALOGUE_GENERATED_FILE} is stale: run npm run contracts:generate`).toBe(generateCatalogueSource(join(WORKSPACE_ROOT, 'schemas')));
  });

  it('has every type of schemas/catalogue.json, in its order, with a constant in EventTypes', () => {
    const catalogue = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'schemas', 'catalogue.json'), 'utf8')) as { types: { type: string }[] };
    expect(CATALOGUE.map((e) => e.type)).toEqual(catalogue.types.map((t) => t.type));
    expect(Object.values(EventTypes).sort()).toEqual(CATALOGUE.map((e) => e.type).sort());
    expect(EventTypes.MomEmployeeLeftWorkReported).toBe('mom.employee.left-work-reported');
  });

  it.each(CATALOGUE.map((e) => [e.type, e] as const))('%s: topic = type, subject = <topic>-value, partition key a top-level string field', (_type, entry) => {
    expect(entry.topic).toBe(entry.type);
    expect(entry.subject).toBe(`${entry.topic}-value`);
    const key = topLevelFields(entry.schema)?.find((f) => f['name'] === entry.partitionKey);
    expect(key, `${entry.partitionKey} is not a top-level field`).toBeDefined();
    expect(isAvroString(key!['type']), `${entry.partitionKey} is not a string`).toBe(true);
  });

  it('defaults every entry without a compatibility level to BACKWARD', () => {
    for (const entry of CATALOGUE) expect(entry.compatibility).toBe('BACKWARD');
  });
});

describe('the @rabt/contracts entry point', () => {
  it('reaches no Node module and not the generator, so browsers can use it', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const [, spec] of source.matchAll(/from '([^']+)'/g)) {
        expect(spec, `${file} imports ${spec}`).not.toMatch(/^node:|^(fs|path|child_process|os)$|codegen/);
        if (spec!.startsWith('.')) visit(`${resolve(dirname(file), spec!)}.ts`);
      }
    };
    visit(join(__dirname, 'index.ts'));
    expect(seen.size).toBeGreaterThanOrEqual(4);
  });
});

describe('catalogue lookups', () => {
  it('find an entry and its subject by type', () => {
    const entry = catalogueEntry(EventTypes.RopResidenceAbscondingRegistered);
    expect(entry.owner).toBe('rop');
    expect(entry.schema.name).toBe('ResidenceAbscondingRegistered');
    expect(subjectFor(EventTypes.MomWorkPermitSuspended)).toBe('mom.work-permit.suspended-value');
  });

  it('reject a type that is not in the catalogue', () => {
    expect(() => catalogueEntry('mom.employee.teleported')).toThrow(UnknownEventTypeException);
    expect(() => subjectFor('mom.employee.teleported')).toThrow("'mom.employee.teleported' is not an event type");
    expect(findCatalogueEntry('mom.employee.teleported')).toBeUndefined();
    expect(isEventType('mom.employee.teleported')).toBe(false);
    expect(isEventType(EventTypes.RabtTransactionCompleted)).toBe(true);
  });

  it('type event data by its type string', () => {
    const data: EventData<typeof EventTypes.RabtTransactionCompensated> = {
      transactionId: 'tx-1',
      workflow: 'employee-left-work',
      workflowVersion: 1,
      occurredAt: 1_752_066_000_000,
      triggerType: null,
      compensatedSteps: [],
    };
    expect(data.triggerType).toBeNull();
  });
});
