// Transfer of a worker's services between private employers (docs/simulators.md): epay settles the
// fee on MoM's request, ROP moves the residence sponsorship on the payment, MoM approves the
// transfer (a new work permit) on ROP's change. Nothing here knows the workflow engine: the same
// back offices, one more table of reactions.
import { EventTypes } from '@rabt/sdk';
import { forward, pick, requireFacts, stableHash, FactsMissing, type ForwardReaction } from './reaction';

const DAY_MS = 86_400_000;
const ROP_OFFICERS = [
  { officerId: 'ROP-44120', nameEn: 'Yousuf Said Al Habsi', nameAr: 'يوسف بن سعيد الحبسي', rank: 'Lieutenant' },
  { officerId: 'ROP-47365', nameEn: 'Maryam Ali Al Lawati', nameAr: 'مريم بنت علي اللواتية', rank: 'Captain' },
] as const;
const PAYMENT_METHODS = ['DEBIT_CARD', 'CREDIT_CARD', 'BANK_TRANSFER'] as const;

export const serviceTransferForward: readonly ForwardReaction[] = [
  forward('epay', EventTypes.MomWorkerServiceTransferRequested, EventTypes.EpayPaymentFeeSettled, (facts, _event, now, tx) => {
    const f = requireFacts(facts, ['transferRequestId', 'workerCivilNumber', 'newEmployerCrNumber', 'transferFeeBaisa']);
    if (f instanceof FactsMissing) return f;
    return {
      paymentReference: `EPAY-${now.getUTCFullYear()}-${String(stableHash(`pay:${tx}`) % 100_000_000).padStart(8, '0')}`,
      workerCivilNumber: f.workerCivilNumber,
      payerCrNumber: f.newEmployerCrNumber,
      feeCode: 'MOM-TRANSFER',
      relatedRequestId: f.transferRequestId,
      amountBaisa: f.transferFeeBaisa,
      currency: 'OMR',
      paymentMethod: pick(PAYMENT_METHODS, tx),
      settledAt: now.getTime(),
    };
  }),
  forward('rop', EventTypes.EpayPaymentFeeSettled, EventTypes.RopResidenceSponsorTransferred, (facts, _event, now, tx) => {
    const f = requireFacts(facts, ['transferRequestId', 'workerCivilNumber', 'currentEmployerCrNumber', 'newEmployerCrNumber']);
    if (f instanceof FactsMissing) return f;
    return {
      residencePermitNumber: `RP-${f.workerCivilNumber}-${String(now.getUTCFullYear() - 1).slice(2)}`,
      workerCivilNumber: f.workerCivilNumber,
      previousSponsorCrNumber: f.currentEmployerCrNumber,
      newSponsorCrNumber: f.newEmployerCrNumber,
      transferRequestId: f.transferRequestId,
      residenceValidUntil: Math.floor(now.getTime() / DAY_MS) + 2 * 365,
      transferredAt: now.getTime(),
      transferringOfficer: { ...pick(ROP_OFFICERS, tx) },
    };
  }),
  forward('mom', EventTypes.RopResidenceSponsorTransferred, EventTypes.MomWorkerServiceTransferApproved, (facts, _event, now, tx) => {
    const f = requireFacts(facts, ['transferRequestId', 'workerCivilNumber', 'currentWorkPermitNumber', 'newEmployerCrNumber']);
    if (f instanceof FactsMissing) return f;
    const from = Math.max(facts.requestedTransferDate ?? 0, Math.floor(now.getTime() / DAY_MS));
    return {
      transferRequestId: f.transferRequestId,
      workerCivilNumber: f.workerCivilNumber,
      previousWorkPermitNumber: f.currentWorkPermitNumber,
      newWorkPermitNumber: `WP-${now.getUTCFullYear()}-${String(stableHash(`wp:${tx}`) % 10_000_000).padStart(7, '0')}`,
      newEmployerCrNumber: f.newEmployerCrNumber,
      effectiveFrom: from,
      newPermitValidUntil: from + 2 * 365,
      approvedAt: now.getTime(),
      approvedBy: pick(['MOM-LP-30217', 'MOM-LP-30954'], tx),
    };
  }),
];
