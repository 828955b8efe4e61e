import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { EventTypes, type EventType } from '@rabt/sdk';
import { newCaseFile } from './case-file';
import { decideForward, decideUndo, FORWARD_REACTIONS, learn, subscriptionPlan, UNDO_REACTIONS, WITHDRAWALS, type Decision } from './reaction.table';
import type { DeliveredEvent } from './reaction';

const ROOT = join(__dirname, '..', '..', '..', '..');
const fixture = (type: string, name: string) => JSON.parse(readFileSync(join(ROOT, 'test/fixtures', type, 'ok', `${name}.json`), 'utf8')) as Record<string, unknown>;
const catalogue = JSON.parse(readFileSync(join(ROOT, 'schemas/catalogue.json'), 'utf8')) as { types: { type: string; schema: string }[] };

/** The schema of `type` from schemas/, with every path that does not validate. */
function invalidPaths(type: string, data: unknown): string[] {
  const entry = catalogue.types.find((t) => t.type === type)!;
  const schema = avro.Type.forSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', entry.schema), 'utf8')) as avro.Schema);
  const paths: string[] = [];
  schema.isValid(data, { errorHook: (path) => paths.push(path.join('.')) });
  return paths;
}

const TX = 'tx-0f3a9c';
const NOW = new Date('2026-11-30T08:00:00Z');
const report = fixture(EventTypes.MomEmployeeLeftWorkReported, 'absconded-seeb');
const delivered = (type: EventType, data: Record<string, unknown>, source = 'urn:rabt:agency:mom'): DeliveredEvent => ({ id: `${type}-1`, source, type, transactionid: TX, data });
const published = (d: Decision[]) => d.flatMap((x) => (x.kind === 'publish' ? [x.record] : []));

describe('who reacts to what', () => {
  it('follows the contract: rop on the report, moci on rop, mom on moci', () => {
    expect(FORWARD_REACTIONS.map((r) => `${r.agency}: ${r.on} -> ${r.publishes}`)).toEqual([
      'rop: mom.employee.left-work-reported -> rop.residence.absconding-registered',
      'moci: rop.residence.absconding-registered -> moci.employer.labour-record-updated',
      'mom: moci.employer.labour-record-updated -> mom.work-permit.suspended',
      'epay: mom.worker.service-transfer-requested -> epay.payment.fee-settled',
      'rop: epay.payment.fee-settled -> rop.residence.sponsor-transferred',
      'mom: rop.residence.sponsor-transferred -> mom.worker.service-transfer-approved',
    ]);
    expect(UNDO_REACTIONS.map((r) => `${r.agency}: ${r.undoes} undone by ${r.publishes}`)).toEqual([
      'rop: rop.residence.absconding-registered undone by rop.residence.absconding-cancelled',
      'moci: moci.employer.labour-record-updated undone by moci.employer.labour-record-reverted',
      'mom: mom.work-permit.suspended undone by mom.work-permit.reinstated',
    ]);
  });

  it('plans a subscription for every event a reaction or a fact needs, withdrawals included for whoever can undo', () => {
    const plan = subscriptionPlan(['mom', 'rop', 'moci', 'epay']).map((s) => `${s.agency} ${s.eventType}`);
    for (const r of FORWARD_REACTIONS) expect(plan).toContain(`${r.agency} ${r.on}`);
    for (const r of UNDO_REACTIONS) for (const w of WITHDRAWALS) expect(plan).toContain(`${r.agency} ${w}`);
    expect(plan).toContain('moci mom.employee.left-work-reported');
  });

  it('the whole chain publishes events that validate against schemas/, each carrying the case facts over', () => {
    const rop = newCaseFile(TX);
    const moci = newCaseFile(TX);
    const mom = newCaseFile(TX);
    const reportEvent = delivered(EventTypes.MomEmployeeLeftWorkReported, report);
    learn(rop.facts, reportEvent);
    const [registered] = published(decideForward('rop', reportEvent, rop, NOW));
    expect(registered!.type).toBe(EventTypes.RopResidenceAbscondingRegistered);
    expect(invalidPaths(registered!.type, registered!.data)).toEqual([]);
    expect(invalidPaths(registered!.type, { ...registered!.data, travelBanImposed: 'yes' })).toEqual(['travelBanImposed']); // the check can fail
    expect(registered!.data).toMatchObject({ workerCivilNumber: report['workerCivilNumber'], relatedReportId: report['reportId'], residencePermitStatus: 'FLAGGED_ABSCONDING', policeStation: 'Seeb Police Station', travelBanImposed: true });
    expect(registered!.data['caseNumber']).toMatch(/^ROP\/MCT\/SEE\/2026\/\d{5}$/);

    learn(moci.facts, reportEvent);
    const registeredEvent = delivered(registered!.type, { ...registered!.data }, 'urn:rabt:agency:rop');
    learn(moci.facts, registeredEvent);
    const [updated] = published(decideForward('moci', registeredEvent, moci, NOW));
    expect(invalidPaths(updated!.type, updated!.data)).toEqual([]);
    expect(updated!.data).toMatchObject({ employerCrNumber: report['employerCrNumber'], labourRecordAction: 'WORKER_FLAGGED' });

    learn(mom.facts, reportEvent);
    const updatedEvent = delivered(updated!.type, { ...updated!.data }, 'urn:rabt:agency:moci');
    learn(mom.facts, updatedEvent);
    const [suspended] = published(decideForward('mom', updatedEvent, mom, NOW));
    expect(invalidPaths(suspended!.type, suspended!.data)).toEqual([]);
    expect(suspended!.data).toMatchObject({ workPermitNumber: report['workPermitNumber'], suspendedFrom: (report['lastWorkingDay'] as number) + 1 });
    expect(suspended!.id).toBe(`mom:${EventTypes.MomWorkPermitSuspended}:${TX}`);
  });

  it('waits for facts another delivery brings (MOCI needs the employer from the report)', () => {
    const moci = newCaseFile(TX);
    const registered = delivered(EventTypes.RopResidenceAbscondingRegistered, fixture(EventTypes.RopResidenceAbscondingRegistered, 'flagged-seeb-travel-ban'), 'urn:rabt:agency:rop');
    learn(moci.facts, registered);
    expect(decideForward('moci', registered, moci, NOW)).toEqual([{ kind: 'not-yet', missing: ['employerCrNumber'] }]);
  });

  it('acts once per transaction, and not at all once it was withdrawn', () => {
    const rop = newCaseFile(TX);
    const reportEvent = delivered(EventTypes.MomEmployeeLeftWorkReported, report);
    learn(rop.facts, reportEvent);
    const [first] = published(decideForward('rop', reportEvent, rop, NOW));
    rop.done.set(first!.type, first!);
    expect(decideForward('rop', reportEvent, rop, NOW)).toEqual([{ kind: 'ignore', reason: `${first!.type} already published` }]);
    const fresh = newCaseFile('tx-2');
    fresh.withdrawn = true;
    expect(decideForward('rop', reportEvent, fresh, NOW)[0]!.kind).toBe('ignore');
  });

  it('a withdrawal undoes what the agency did, with events that validate against schemas/, once', () => {
    const withdrawal = delivered(EventTypes.MomEmployeeLeftWorkWithdrawn, fixture(EventTypes.MomEmployeeLeftWorkWithdrawn, 'worker-returned-seeb'));
    const files = { rop: newCaseFile(TX), moci: newCaseFile(TX), mom: newCaseFile(TX) };
    const reportEvent = delivered(EventTypes.MomEmployeeLeftWorkReported, report);
    let last: DeliveredEvent = reportEvent;
    for (const agency of ['rop', 'moci', 'mom'] as const) {
      learn(files[agency].facts, reportEvent);
      learn(files[agency].facts, last);
      const [record] = published(decideForward(agency, last, files[agency], NOW));
      files[agency].done.set(record!.type, record!);
      last = delivered(record!.type, { ...record!.data }, `urn:rabt:agency:${agency}`);
    }
    for (const agency of ['rop', 'moci', 'mom'] as const) {
      const decisions = decideUndo(agency, withdrawal, files[agency], NOW);
      const [record] = published(decisions);
      expect(record, agency).toBeDefined();
      expect(invalidPaths(record!.type, record!.data), record!.type).toEqual([]);
      const d = decisions[0]!;
      if (d.kind === 'publish') files[agency].undone.set(d.undoes!, d.record);
      expect(decideUndo(agency, withdrawal, files[agency], NOW)[0]!.kind).toBe('ignore');
    }
    expect(published(decideUndo('rop', withdrawal, { ...files.rop, undone: new Map() }, NOW))[0]!.data).toMatchObject({ residencePermitStatus: 'ACTIVE', travelBanLifted: true });
  });

  it('the worker-service transfer: epay, rop and mom publish events that validate against schemas/', () => {
    const request = delivered(EventTypes.MomWorkerServiceTransferRequested, fixture(EventTypes.MomWorkerServiceTransferRequested, 'electrician-muscat-with-consent'));
    const files = { epay: newCaseFile(TX), rop: newCaseFile(TX), mom: newCaseFile(TX) };
    let last: DeliveredEvent = request;
    for (const agency of ['epay', 'rop', 'mom'] as const) {
      learn(files[agency].facts, request);
      learn(files[agency].facts, last);
      const [record] = published(decideForward(agency, last, files[agency], NOW));
      expect(record, agency).toBeDefined();
      expect(invalidPaths(record!.type, record!.data), record!.type).toEqual([]);
      last = delivered(record!.type, { ...record!.data }, `urn:rabt:agency:${agency}`);
    }
    expect(last.type).toBe(EventTypes.MomWorkerServiceTransferApproved);
    expect(last.data['newEmployerCrNumber']).toBe(request.data['newEmployerCrNumber']);
  });

  it('a withdrawal with nothing done undoes nothing', () => {
    const withdrawal = delivered(EventTypes.MomEmployeeLeftWorkWithdrawn, fixture(EventTypes.MomEmployeeLeftWorkWithdrawn, 'filed-by-mistake'));
    expect(decideUndo('rop', withdrawal, newCaseFile(TX), NOW)[0]!.kind).toBe('ignore');
  });

  it('ignores events an agency has no step on', () => {
    expect(decideForward('epay', delivered(EventTypes.MomEmployeeLeftWorkReported, report), newCaseFile(TX), NOW)[0]!.kind).toBe('ignore');
  });
});
