// Employee left work (docs/simulators.md): ROP registers the absconding case on MoM's report, MOCI
// updates the employer's labour record on ROP's registration, MoM suspends the work permit on
// MOCI's update; on a withdrawal each undoes what it did.
import { EventTypes } from '@rabt/sdk';
import { forward, pick, requireFacts, stableHash, undo, FactsMissing, type ForwardReaction, type UndoReaction } from './reaction';

const ROP_OFFICERS = [
  { officerId: 'ROP-48211', nameEn: 'Hamad Nasser Al Hinai', nameAr: 'حمد بن ناصر الهنائي', rank: 'Captain' },
  { officerId: 'ROP-51730', nameEn: 'Aisha Humaid Al Rawahi', nameAr: 'عائشة بنت حميد الرواحية', rank: 'First Lieutenant' },
  { officerId: 'ROP-39904', nameEn: 'Salim Khalfan Al Maamari', nameAr: 'سالم بن خلفان المعمري', rank: 'Major' },
] as const;
const MOCI_OFFICERS = ['MOCI-LR-10482', 'MOCI-LR-11907', 'MOCI-LR-12330'] as const;
const MOM_OFFICERS = ['MOM-LP-30217', 'MOM-LP-30954', 'MOM-LP-31502'] as const;

const GOVERNORATE_CODES: Readonly<Record<string, string>> = { Muscat: 'MCT', Dhofar: 'DHO', 'Al Batinah North': 'BTN', 'Al Batinah South': 'BTS', 'Ad Dakhiliyah': 'DAK', 'Ash Sharqiyah North': 'SHN', 'Ash Sharqiyah South': 'SHS', 'Ad Dhahirah': 'DHA', 'Al Wusta': 'WUS', Musandam: 'MSN', 'Al Buraimi': 'BUR' };
const wilayatCode = (wilayat: string | undefined) => (wilayat ?? 'HQ').replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase() || 'HQ';
const DAY_MS = 86_400_000;

export const leftWorkForward: readonly ForwardReaction[] = [
  forward('rop', EventTypes.MomEmployeeLeftWorkReported, EventTypes.RopResidenceAbscondingRegistered, (facts, _event, now, tx) => {
    const f = requireFacts(facts, ['reportId', 'workerCivilNumber']);
    if (f instanceof FactsMissing) return f;
    const absconded = (facts.reason ?? 'ABSCONDED') === 'ABSCONDED';
    const governorate = GOVERNORATE_CODES[facts.governorate ?? 'Muscat'] ?? 'MCT';
    return {
      caseNumber: `ROP/${governorate}/${wilayatCode(facts.wilayat)}/${now.getUTCFullYear()}/${String(stableHash(tx) % 100_000).padStart(5, '0')}`,
      workerCivilNumber: f.workerCivilNumber,
      residencePermitNumber: `RP-${f.workerCivilNumber}-${String(now.getUTCFullYear() - 2).slice(2)}`,
      residencePermitStatus: absconded ? 'FLAGGED_ABSCONDING' : 'CANCELLED',
      relatedReportId: f.reportId,
      registeredAt: now.getTime(),
      registeringOfficer: { ...pick(ROP_OFFICERS, tx) },
      policeStation: `${facts.wilayat ?? 'Muscat'} Police Station`,
      travelBanImposed: absconded,
    };
  }),
  forward('moci', EventTypes.RopResidenceAbscondingRegistered, EventTypes.MociEmployerLabourRecordUpdated, (facts, _event, now, tx) => {
    const f = requireFacts(facts, ['reportId', 'workerCivilNumber', 'employerCrNumber']);
    if (f instanceof FactsMissing) return f;
    return {
      employerCrNumber: f.employerCrNumber,
      workerCivilNumber: f.workerCivilNumber,
      relatedReportId: f.reportId,
      labourRecordAction: (facts.reason ?? 'ABSCONDED') === 'ABSCONDED' ? 'WORKER_FLAGGED' : 'WORKER_REMOVED',
      activeWorkersAfter: 5 + (stableHash(f.employerCrNumber) % 240),
      updatedAt: now.getTime(),
      updatedBy: pick(MOCI_OFFICERS, tx),
    };
  }),
  forward('mom', EventTypes.MociEmployerLabourRecordUpdated, EventTypes.MomWorkPermitSuspended, (facts, _event, now, tx) => {
    const f = requireFacts(facts, ['reportId', 'workerCivilNumber', 'workPermitNumber', 'employerCrNumber']);
    if (f instanceof FactsMissing) return f;
    const from = facts.lastWorkingDay !== undefined ? facts.lastWorkingDay + 1 : Math.floor(now.getTime() / DAY_MS);
    return {
      workPermitNumber: f.workPermitNumber,
      workerCivilNumber: f.workerCivilNumber,
      employerCrNumber: f.employerCrNumber,
      relatedReportId: f.reportId,
      suspensionReason: `Left-work report ${f.reportId}: absconding registered by ROP and the employer's labour record updated by MOCI`,
      suspendedFrom: from,
      suspendedAt: now.getTime(),
      suspendedBy: pick(MOM_OFFICERS, tx),
    };
  }),
];

const today = (now: Date) => Math.floor(now.getTime() / DAY_MS);
const withdrawalReason = (withdrawal: { readonly data: Readonly<Record<string, unknown>> }) => {
  const reason = withdrawal.data['withdrawalReason'];
  return typeof reason === 'string' && reason ? reason : 'withdrawn by the employer';
};

export const leftWorkUndo: readonly UndoReaction[] = [
  undo('rop', EventTypes.RopResidenceAbscondingRegistered, EventTypes.RopResidenceAbscondingCancelled, (done, _facts, _withdrawal, now) => ({
    caseNumber: done.data.caseNumber,
    workerCivilNumber: done.data.workerCivilNumber,
    residencePermitNumber: done.data.residencePermitNumber,
    residencePermitStatus: 'ACTIVE',
    relatedReportId: done.data.relatedReportId,
    travelBanLifted: done.data.travelBanImposed,
    cancelledAt: now.getTime(),
    cancellingOfficer: { ...pick(ROP_OFFICERS, done.data.caseNumber) },
  })),
  undo('moci', EventTypes.MociEmployerLabourRecordUpdated, EventTypes.MociEmployerLabourRecordReverted, (done, _facts, _withdrawal, now) => ({
    employerCrNumber: done.data.employerCrNumber,
    workerCivilNumber: done.data.workerCivilNumber,
    relatedReportId: done.data.relatedReportId,
    revertedAction: done.data.labourRecordAction,
    activeWorkersAfter: done.data.activeWorkersAfter + (done.data.labourRecordAction === 'WORKER_REMOVED' ? 1 : 0),
    revertedAt: now.getTime(),
    revertedBy: pick(MOCI_OFFICERS, done.data.relatedReportId),
  })),
  undo('mom', EventTypes.MomWorkPermitSuspended, EventTypes.MomWorkPermitReinstated, (done, _facts, withdrawal, now) => ({
    workPermitNumber: done.data.workPermitNumber,
    workerCivilNumber: done.data.workerCivilNumber,
    employerCrNumber: done.data.employerCrNumber,
    relatedReportId: done.data.relatedReportId,
    reinstatementReason: `Left-work report ${done.data.relatedReportId} withdrawn: ${withdrawalReason(withdrawal)}`,
    reinstatedFrom: today(now),
    reinstatedAt: now.getTime(),
    reinstatedBy: pick(MOM_OFFICERS, done.data.relatedReportId),
  })),
];
