// GENERATED FILE, DO NOT EDIT. Source: schemas/catalogue.json and the .avsc files it names.
// Regenerate with `npm run contracts:generate` (rabt contracts generate); CI fails when it is stale.

import type { CatalogueEntry } from '../catalogue.types';

/** The CloudEvents `type` of every event Rabt carries. Use these instead of repeating the strings. */
export const EventTypes = {
  /** An employer reported to MoM that a worker left work. Starts the employee-left-work transaction. */
  MomEmployeeLeftWorkReported: 'mom.employee.left-work-reported',
  /** Royal Oman Police registered an absconding case against the worker's residence permit. */
  RopResidenceAbscondingRegistered: 'rop.residence.absconding-registered',
  /** MOCI updated the employer's labour record for the worker. */
  MociEmployerLabourRecordUpdated: 'moci.employer.labour-record-updated',
  /** MoM suspended the worker's work permit. */
  MomWorkPermitSuspended: 'mom.work-permit.suspended',
  /** The employer withdrew a left-work report; the transaction it started is compensated. */
  MomEmployeeLeftWorkWithdrawn: 'mom.employee.left-work-withdrawn',
  /** Royal Oman Police cancelled the absconding case against the worker's residence permit (the report was withdrawn). */
  RopResidenceAbscondingCancelled: 'rop.residence.absconding-cancelled',
  /** MOCI reverted its update of the employer's labour record (the report was withdrawn). */
  MociEmployerLabourRecordReverted: 'moci.employer.labour-record-reverted',
  /** MoM reinstated the worker's suspended work permit (the report was withdrawn). */
  MomWorkPermitReinstated: 'mom.work-permit.reinstated',
  /** A private employer asked MoM to take over a worker's services from another private employer. Starts the worker-service-transfer transaction. */
  MomWorkerServiceTransferRequested: 'mom.worker.service-transfer-requested',
  /** The Government e-Payment Gateway settled a government fee paid by an employer. */
  EpayPaymentFeeSettled: 'epay.payment.fee-settled',
  /** Royal Oman Police moved the worker's residence permit to the new employer as sponsor. */
  RopResidenceSponsorTransferred: 'rop.residence.sponsor-transferred',
  /** MoM approved the transfer of the worker's services and issued a work permit with the new employer. */
  MomWorkerServiceTransferApproved: 'mom.worker.service-transfer-approved',
  /** Rabt recorded that one step of a cross-agency transaction completed. */
  RabtTransactionStepCompleted: 'rabt.transaction.step-completed',
  /** Every step of a cross-agency transaction completed. */
  RabtTransactionCompleted: 'rabt.transaction.completed',
  /** A step of a cross-agency transaction was not completed within its SLA. */
  RabtTransactionSlaBreached: 'rabt.transaction.sla-breached',
  /** A cross-agency transaction was undone: every compensating step completed. */
  RabtTransactionCompensated: 'rabt.transaction.compensated',
} as const;

/** One of the CloudEvents types in the catalogue. */
export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

/**
 * An employer reported to the Ministry of Manpower (MoM) that a worker left work; starts the employee-left-work transaction | أبلغ صاحب العمل وزارة العمل بأن عاملًا ترك العمل، ويبدأ به إجراء ترك العامل للعمل
 * Avro record `om.gov.rabt.mom.EmployeeLeftWorkReported`.
 */
export interface MomEmployeeLeftWorkReportedData {
  /** Identifier MoM assigned to this left-work report; later events refer to it as relatedReportId | معرّف بلاغ ترك العمل لدى وزارة العمل، وتشير إليه الأحداث اللاحقة باسم relatedReportId */
  reportId: string;
  /**
   * Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  workerCivilNumber: string;
  /**
   * Full name of the worker as on the work permit | الاسم الكامل للعامل كما في تصريح العمل
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  workerName: MomWorkerName;
  /** Nationality of the worker as an ISO 3166-1 alpha-3 code (e.g. BGD, IND) | جنسية العامل برمز ISO 3166-1 الثلاثي (مثل BGD وIND) */
  nationality: string;
  /**
   * Passport number of the worker, or null if not known | رقم جواز سفر العامل، أو null إن لم يكن معروفًا
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   * Default: `null`.
   */
  passportNumber: string | null;
  /** Number of the worker's work permit (labour card) | رقم تصريح عمل العامل (بطاقة العمل) */
  workPermitNumber: string;
  /** Commercial registration (CR) number of the employer | رقم السجل التجاري لصاحب العمل */
  employerCrNumber: string;
  /** Registered trade name of the employer in English | الاسم التجاري المسجَّل لصاحب العمل بالإنجليزية */
  employerNameEn: string;
  /** Registered trade name of the employer in Arabic | الاسم التجاري المسجَّل لصاحب العمل بالعربية */
  employerNameAr: string;
  /** Worker's occupation as an ISCO-08 code (e.g. 7112 Bricklayer) | مهنة العامل برمز التصنيف الدولي الموحّد للمهن ISCO-08 (مثل 7112 بنّاء) */
  occupationCode: string;
  /** Occupation title as on the work permit | المسمّى المهني كما في تصريح العمل */
  occupationTitle: string;
  /**
   * Last day the worker reported for work (days since 1970-01-01) | آخر يوم حضر فيه العامل إلى العمل (بالأيام منذ 1970-01-01)
   * Avro `date`: days since 1970-01-01 (an int, never an ISO string).
   */
  lastWorkingDay: number;
  /** Reason the worker left work | سبب ترك العامل للعمل */
  reason: MomLeftWorkReason;
  /**
   * Free-text details of the reason (expected when reason is OTHER), or null | تفاصيل السبب نصًّا حرًّا (متوقَّعة عندما يكون السبب OTHER)، أو null
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   * Default: `null`.
   */
  reasonDetails: string | null;
  /** Person who filed the report on the employer's behalf | الشخص الذي قدّم البلاغ نيابة عن صاحب العمل */
  reportedBy: MomReportingOfficer;
  /**
   * When the employer filed the report (UTC, milliseconds since 1970-01-01) | وقت تقديم صاحب العمل للبلاغ (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  reportedAt: number;
  /**
   * Last known address of the worker in Oman, or null if not known | آخر عنوان معروف للعامل في سلطنة عُمان، أو null إن لم يكن معروفًا
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   * Default: `null`.
   */
  workerLastKnownAddress: MomWorkerAddress | null;
}

/**
 * Name of the worker in English and Arabic | اسم العامل بالإنجليزية والعربية
 * Avro record `om.gov.rabt.mom.WorkerName`.
 */
export interface MomWorkerName {
  /**
   * Full name in English (Latin script), as in the passport | الاسم الكامل بالإنجليزية (بالحروف اللاتينية) كما في جواز السفر
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  nameEn: string;
  /**
   * Full name in Arabic | الاسم الكامل بالعربية
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  nameAr: string;
}

/**
 * Why a worker left work: ABSCONDED (left without notice), RESIGNED, TERMINATED (by the employer), CONTRACT_ENDED, DECEASED, OTHER (see reasonDetails). A reader that does not know a newer symbol reads OTHER | سبب ترك العامل للعمل: ABSCONDED (تغيّب عن العمل دون إشعار)، RESIGNED (استقال)، TERMINATED (أنهى صاحب العمل خدماته)، CONTRACT_ENDED (انتهى العقد)، DECEASED (توفي)، OTHER (انظر reasonDetails). القارئ الذي لا يعرف رمزًا أحدث يقرؤه OTHER
 * Avro enum `om.gov.rabt.mom.LeftWorkReason`. A reader that does not know a newer symbol reads `OTHER`.
 */
export type MomLeftWorkReason = 'ABSCONDED' | 'RESIGNED' | 'TERMINATED' | 'CONTRACT_ENDED' | 'DECEASED' | 'OTHER';

/**
 * A person acting for the employer towards MoM | شخص يتعامل مع وزارة العمل نيابة عن صاحب العمل
 * Avro record `om.gov.rabt.mom.ReportingOfficer`.
 */
export interface MomReportingOfficer {
  /** Identifier of the person in the MoM e-services system | معرّف الشخص في نظام الخدمات الإلكترونية لوزارة العمل */
  officerId: string;
  /**
   * Name of the person in English | اسم الشخص بالإنجليزية
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  nameEn: string;
  /**
   * Name of the person in Arabic | اسم الشخص بالعربية
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  nameAr: string;
  /** Role of the person at the employer (e.g. Public Relations Officer, HR Manager) | صفة الشخص لدى صاحب العمل (مثل مندوب العلاقات العامة، مدير الموارد البشرية) */
  role: string;
}

/**
 * An address in the Sultanate of Oman | عنوان في سلطنة عُمان
 * Avro record `om.gov.rabt.mom.WorkerAddress`.
 */
export interface MomWorkerAddress {
  /**
   * Governorate (e.g. Muscat, Dhofar) | المحافظة (مثل مسقط، ظفار)
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  governorate: string;
  /**
   * Wilayat (e.g. Seeb, Bawshar) | الولاية (مثل السيب، بوشر)
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  wilayat: string;
  /**
   * Further details: area, way or street, building, landmark | تفاصيل إضافية: المنطقة، السكة أو الشارع، المبنى، معلم قريب
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  details: string;
}

/**
 * Royal Oman Police (ROP) registered an absconding case against the worker's residence permit | سجّلت شرطة عُمان السلطانية بلاغ تغيّب عن العمل على تصريح إقامة العامل
 * Avro record `om.gov.rabt.rop.ResidenceAbscondingRegistered`.
 */
export interface RopResidenceAbscondingRegisteredData {
  /** ROP case number of the absconding registration | رقم قضية تسجيل التغيّب لدى شرطة عُمان السلطانية */
  caseNumber: string;
  /**
   * Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  workerCivilNumber: string;
  /** Number of the worker's residence permit | رقم تصريح إقامة العامل */
  residencePermitNumber: string;
  /** Status of the residence permit after the registration | حالة تصريح الإقامة بعد التسجيل */
  residencePermitStatus: RopResidencePermitStatus;
  /** reportId of the MoM left-work report this event follows from | معرّف بلاغ ترك العمل (reportId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث */
  relatedReportId: string;
  /**
   * When ROP registered the case (UTC, milliseconds since 1970-01-01) | وقت تسجيل الشرطة للقضية (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  registeredAt: number;
  /** Officer who registered the case | الضابط الذي سجّل القضية */
  registeringOfficer: RopPoliceOfficer;
  /** Police station where the case was registered (e.g. Seeb Police Station) | مركز الشرطة الذي سُجّلت فيه القضية (مثل مركز شرطة السيب) */
  policeStation: string;
  /** Whether a travel ban was imposed on the worker | هل فُرض حظر سفر على العامل */
  travelBanImposed: boolean;
}

/**
 * Status of a residence permit: ACTIVE, FLAGGED_ABSCONDING (absconding case registered), CANCELLED. A reader that does not know a newer symbol reads FLAGGED_ABSCONDING, so an unknown status is never taken for ACTIVE | حالة تصريح الإقامة: ACTIVE (سارٍ)، FLAGGED_ABSCONDING (مسجَّل عليه بلاغ تغيّب)، CANCELLED (ملغى). القارئ الذي لا يعرف رمزًا أحدث يقرؤه FLAGGED_ABSCONDING، فلا تُعدّ حالة مجهولة سارية أبدًا
 * Avro enum `om.gov.rabt.rop.ResidencePermitStatus`. A reader that does not know a newer symbol reads `FLAGGED_ABSCONDING`.
 */
export type RopResidencePermitStatus = 'ACTIVE' | 'FLAGGED_ABSCONDING' | 'CANCELLED';

/**
 * An officer of the Royal Oman Police | ضابط أو فرد في شرطة عُمان السلطانية
 * Avro record `om.gov.rabt.rop.PoliceOfficer`.
 */
export interface RopPoliceOfficer {
  /** Service number of the officer | الرقم العسكري للضابط */
  officerId: string;
  /**
   * Name of the officer in English | اسم الضابط بالإنجليزية
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  nameEn: string;
  /**
   * Name of the officer in Arabic | اسم الضابط بالعربية
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  nameAr: string;
  /** Rank of the officer (e.g. Captain, Major) | رتبة الضابط (مثل نقيب، رائد) */
  rank: string;
}

/**
 * The Ministry of Commerce and Industry (MOCI) updated the employer's labour record after a left-work report | حدّثت وزارة التجارة والصناعة السجلّ العمّالي لصاحب العمل إثر بلاغ ترك العمل
 * Avro record `om.gov.rabt.moci.EmployerLabourRecordUpdated`.
 */
export interface MociEmployerLabourRecordUpdatedData {
  /** Commercial registration (CR) number of the employer | رقم السجل التجاري لصاحب العمل */
  employerCrNumber: string;
  /**
   * Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  workerCivilNumber: string;
  /** reportId of the MoM left-work report this event follows from | معرّف بلاغ ترك العمل (reportId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث */
  relatedReportId: string;
  /** What was done to the worker's entry | الإجراء الذي اتُّخذ على قيد العامل */
  labourRecordAction: MociLabourRecordAction;
  /** Number of active workers on the employer's labour record after the update | عدد العمّال النشطين في السجلّ العمّالي لصاحب العمل بعد التحديث */
  activeWorkersAfter: number;
  /**
   * When MOCI updated the record (UTC, milliseconds since 1970-01-01) | وقت تحديث الوزارة للسجلّ (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  updatedAt: number;
  /** Identifier of the MOCI officer who made the update | معرّف موظف وزارة التجارة والصناعة الذي أجرى التحديث */
  updatedBy: string;
}

/**
 * Change made to the worker's entry in an employer's labour record: WORKER_REMOVED, WORKER_FLAGGED (kept but marked), RESTORED (a removal or flag undone). A reader that does not know a newer symbol reads WORKER_FLAGGED | التغيير الذي أُجري على قيد العامل في السجلّ العمّالي لصاحب العمل: WORKER_REMOVED (حُذف العامل)، WORKER_FLAGGED (بقي مع وضع علامة عليه)، RESTORED (أُلغي الحذف أو العلامة). القارئ الذي لا يعرف رمزًا أحدث يقرؤه WORKER_FLAGGED
 * Avro enum `om.gov.rabt.moci.LabourRecordAction`. A reader that does not know a newer symbol reads `WORKER_FLAGGED`.
 */
export type MociLabourRecordAction = 'WORKER_REMOVED' | 'WORKER_FLAGGED' | 'RESTORED';

/**
 * MoM suspended the worker's work permit | أوقفت وزارة العمل تصريح عمل العامل
 * Avro record `om.gov.rabt.mom.WorkPermitSuspended`.
 */
export interface MomWorkPermitSuspendedData {
  /** Number of the suspended work permit | رقم تصريح العمل الموقوف */
  workPermitNumber: string;
  /**
   * Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  workerCivilNumber: string;
  /** Commercial registration (CR) number of the employer | رقم السجل التجاري لصاحب العمل */
  employerCrNumber: string;
  /** reportId of the MoM left-work report this event follows from | معرّف بلاغ ترك العمل (reportId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث */
  relatedReportId: string;
  /** Why the permit was suspended | سبب إيقاف التصريح */
  suspensionReason: string;
  /**
   * First day the suspension applies (days since 1970-01-01) | أول يوم يسري فيه الإيقاف (بالأيام منذ 1970-01-01)
   * Avro `date`: days since 1970-01-01 (an int, never an ISO string).
   */
  suspendedFrom: number;
  /**
   * When MoM recorded the suspension (UTC, milliseconds since 1970-01-01) | وقت تسجيل وزارة العمل للإيقاف (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  suspendedAt: number;
  /** Identifier of the MoM officer who suspended the permit | معرّف موظف وزارة العمل الذي أوقف التصريح */
  suspendedBy: string;
}

/**
 * The employer withdrew a left-work report; the transaction it started is compensated | سحب صاحب العمل بلاغ ترك العمل، فتُنفَّذ الخطوات التعويضية للمعاملة التي بدأها
 * Avro record `om.gov.rabt.mom.EmployeeLeftWorkWithdrawn`.
 */
export interface MomEmployeeLeftWorkWithdrawnData {
  /** Identifier of the withdrawn left-work report | معرّف بلاغ ترك العمل المسحوب */
  reportId: string;
  /**
   * Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  workerCivilNumber: string;
  /** Commercial registration (CR) number of the employer | رقم السجل التجاري لصاحب العمل */
  employerCrNumber: string;
  /**
   * Why the employer withdrew the report (free text) | سبب سحب صاحب العمل للبلاغ (نصّ حرّ)
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  withdrawalReason: string;
  /**
   * When the employer withdrew the report (UTC, milliseconds since 1970-01-01) | وقت سحب صاحب العمل للبلاغ (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  withdrawnAt: number;
  /** Person who withdrew the report on the employer's behalf | الشخص الذي سحب البلاغ نيابة عن صاحب العمل */
  withdrawnBy: MomReportingOfficer;
}

/**
 * Royal Oman Police (ROP) cancelled an absconding case against the worker's residence permit because the left-work report was withdrawn; undoes rop.residence.absconding-registered | ألغت شرطة عُمان السلطانية بلاغ التغيّب المسجَّل على تصريح إقامة العامل بعد سحب بلاغ ترك العمل، ويُلغي أثر rop.residence.absconding-registered
 * Avro record `om.gov.rabt.rop.ResidenceAbscondingCancelled`.
 */
export interface RopResidenceAbscondingCancelledData {
  /** ROP case number of the absconding registration that is cancelled | رقم قضية تسجيل التغيّب الملغاة لدى شرطة عُمان السلطانية */
  caseNumber: string;
  /**
   * Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  workerCivilNumber: string;
  /** Number of the worker's residence permit | رقم تصريح إقامة العامل */
  residencePermitNumber: string;
  /** Status of the residence permit after the cancellation (normally ACTIVE again) | حالة تصريح الإقامة بعد الإلغاء (سارٍ من جديد في العادة) */
  residencePermitStatus: RopResidencePermitStatus;
  /** reportId of the MoM left-work report this event follows from | معرّف بلاغ ترك العمل (reportId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث */
  relatedReportId: string;
  /** Whether a travel ban imposed with the case was lifted | هل رُفع حظر السفر الذي فُرض مع القضية */
  travelBanLifted: boolean;
  /**
   * When ROP cancelled the case (UTC, milliseconds since 1970-01-01) | وقت إلغاء الشرطة للقضية (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  cancelledAt: number;
  /** Officer who cancelled the case | الضابط الذي ألغى القضية */
  cancellingOfficer: RopPoliceOfficer;
}

/**
 * The Ministry of Commerce and Industry (MOCI) reverted its update of the employer's labour record because the left-work report was withdrawn; undoes moci.employer.labour-record-updated | أعادت وزارة التجارة والصناعة السجلّ العمّالي لصاحب العمل إلى ما كان عليه بعد سحب بلاغ ترك العمل، ويُلغي أثر moci.employer.labour-record-updated
 * Avro record `om.gov.rabt.moci.EmployerLabourRecordReverted`.
 */
export interface MociEmployerLabourRecordRevertedData {
  /** Commercial registration (CR) number of the employer | رقم السجل التجاري لصاحب العمل */
  employerCrNumber: string;
  /**
   * Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  workerCivilNumber: string;
  /** reportId of the MoM left-work report this event follows from | معرّف بلاغ ترك العمل (reportId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث */
  relatedReportId: string;
  /** The earlier change that was undone (WORKER_REMOVED or WORKER_FLAGGED) | التغيير السابق الذي أُلغي (WORKER_REMOVED أو WORKER_FLAGGED) */
  revertedAction: MociLabourRecordAction;
  /** Number of active workers on the employer's labour record after the revert | عدد العمّال النشطين في السجلّ العمّالي لصاحب العمل بعد الإلغاء */
  activeWorkersAfter: number;
  /**
   * When MOCI reverted the record (UTC, milliseconds since 1970-01-01) | وقت إعادة الوزارة للسجلّ (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  revertedAt: number;
  /** Identifier of the MOCI officer who reverted the record | معرّف موظف وزارة التجارة والصناعة الذي أعاد السجلّ */
  revertedBy: string;
}

/**
 * MoM reinstated the worker's suspended work permit because the left-work report was withdrawn; undoes mom.work-permit.suspended | أعادت وزارة العمل تفعيل تصريح عمل العامل الموقوف بعد سحب بلاغ ترك العمل، ويُلغي أثر mom.work-permit.suspended
 * Avro record `om.gov.rabt.mom.WorkPermitReinstated`.
 */
export interface MomWorkPermitReinstatedData {
  /** Number of the reinstated work permit | رقم تصريح العمل المُعاد تفعيله */
  workPermitNumber: string;
  /**
   * Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  workerCivilNumber: string;
  /** Commercial registration (CR) number of the employer | رقم السجل التجاري لصاحب العمل */
  employerCrNumber: string;
  /** reportId of the MoM left-work report this event follows from | معرّف بلاغ ترك العمل (reportId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث */
  relatedReportId: string;
  /** Why the permit was reinstated | سبب إعادة تفعيل التصريح */
  reinstatementReason: string;
  /**
   * First day the permit is valid again (days since 1970-01-01) | أول يوم يعود فيه التصريح ساريًا (بالأيام منذ 1970-01-01)
   * Avro `date`: days since 1970-01-01 (an int, never an ISO string).
   */
  reinstatedFrom: number;
  /**
   * When MoM recorded the reinstatement (UTC, milliseconds since 1970-01-01) | وقت تسجيل وزارة العمل لإعادة التفعيل (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  reinstatedAt: number;
  /** Identifier of the MoM officer who reinstated the permit | معرّف موظف وزارة العمل الذي أعاد تفعيل التصريح */
  reinstatedBy: string;
}

/**
 * A private employer asked the Ministry of Manpower (MoM) to take over a worker's services from the worker's current private employer; starts the worker-service-transfer transaction | طلب صاحب عمل في القطاع الخاص من وزارة العمل نقل خدمات عامل إليه من صاحب عمله الحالي في القطاع الخاص، ويبدأ به إجراء نقل خدمات العامل
 * Avro record `om.gov.rabt.mom.WorkerServiceTransferRequested`.
 */
export interface MomWorkerServiceTransferRequestedData {
  /** Identifier MoM assigned to this transfer request; later events refer to it as transferRequestId | معرّف طلب نقل الخدمات لدى وزارة العمل، وتشير إليه الأحداث اللاحقة باسم transferRequestId */
  requestId: string;
  /**
   * Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  workerCivilNumber: string;
  /**
   * Full name of the worker as on the work permit | الاسم الكامل للعامل كما في تصريح العمل
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  workerName: MomWorkerName;
  /** Nationality of the worker as an ISO 3166-1 alpha-3 code (e.g. BGD, IND) | جنسية العامل برمز ISO 3166-1 الثلاثي (مثل BGD وIND) */
  nationality: string;
  /** Number of the worker's work permit with the current employer | رقم تصريح عمل العامل لدى صاحب العمل الحالي */
  currentWorkPermitNumber: string;
  /** Commercial registration (CR) number of the current employer, who releases the worker | رقم السجل التجاري لصاحب العمل الحالي الذي يُخلي طرف العامل */
  currentEmployerCrNumber: string;
  /** Commercial registration (CR) number of the new employer, who takes the worker on | رقم السجل التجاري لصاحب العمل الجديد الذي ينتقل إليه العامل */
  newEmployerCrNumber: string;
  /** Registered trade name of the new employer in English | الاسم التجاري المسجَّل لصاحب العمل الجديد بالإنجليزية */
  newEmployerNameEn: string;
  /** Registered trade name of the new employer in Arabic | الاسم التجاري المسجَّل لصاحب العمل الجديد بالعربية */
  newEmployerNameAr: string;
  /** Worker's occupation with the new employer as an ISCO-08 code (e.g. 7411 Building electrician) | مهنة العامل لدى صاحب العمل الجديد برمز التصنيف الدولي الموحّد للمهن ISCO-08 (مثل 7411 كهربائي مبانٍ) */
  occupationCode: string;
  /** Occupation title with the new employer | المسمّى المهني لدى صاحب العمل الجديد */
  occupationTitle: string;
  /** Whether the current employer consented to the transfer (a no-objection) | هل وافق صاحب العمل الحالي على النقل (عدم ممانعة) */
  currentEmployerConsent: boolean;
  /**
   * Day from which the worker should work for the new employer (days since 1970-01-01) | اليوم الذي يبدأ فيه العامل العمل لدى صاحب العمل الجديد (بالأيام منذ 1970-01-01)
   * Avro `date`: days since 1970-01-01 (an int, never an ISO string).
   */
  requestedTransferDate: number;
  /** Transfer fee due, in baisa (1 Omani rial = 1000 baisa) | رسوم النقل المستحقة بالبيسة (الريال العُماني = 1000 بيسة) */
  transferFeeBaisa: number;
  /** Person who filed the request on the new employer's behalf | الشخص الذي قدّم الطلب نيابة عن صاحب العمل الجديد */
  requestedBy: MomReportingOfficer;
  /**
   * When the new employer filed the request (UTC, milliseconds since 1970-01-01) | وقت تقديم صاحب العمل الجديد للطلب (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  requestedAt: number;
}

/**
 * The Government e-Payment Gateway (epay) settled a government fee paid by an employer | سدّدت بوابة الدفع الإلكتروني الحكومية رسومًا حكومية دفعها صاحب عمل
 * Avro record `om.gov.rabt.epay.PaymentFeeSettled`.
 */
export interface EpayPaymentFeeSettledData {
  /** Reference of the payment at the e-payment gateway | مرجع الدفعة لدى بوابة الدفع الإلكتروني */
  paymentReference: string;
  /**
   * Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  workerCivilNumber: string;
  /** Commercial registration (CR) number of the employer who paid | رقم السجل التجاري لصاحب العمل الذي دفع */
  payerCrNumber: string;
  /** Code of the government fee paid (e.g. MOM-TRANSFER for a transfer of services) | رمز الرسم الحكومي المدفوع (مثل MOM-TRANSFER لنقل الخدمات) */
  feeCode: string;
  /** Identifier, at the agency that charged the fee, of the request the fee is for (for a transfer: the MoM requestId) | معرّف الطلب الذي دُفع عنه الرسم لدى الجهة التي فرضته (لنقل الخدمات: requestId لدى وزارة العمل) */
  relatedRequestId: string;
  /** Amount settled, in baisa (1 Omani rial = 1000 baisa) | المبلغ المسدَّد بالبيسة (الريال العُماني = 1000 بيسة) */
  amountBaisa: number;
  /**
   * ISO 4217 currency code; always OMR today | رمز العملة وفق ISO 4217؛ OMR دائمًا حاليًا
   * Default: `"OMR"`.
   */
  currency: string;
  /** How the fee was paid | طريقة دفع الرسم */
  paymentMethod: EpayPaymentMethod;
  /**
   * When the payment was settled (UTC, milliseconds since 1970-01-01) | وقت تسوية الدفعة (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  settledAt: number;
}

/**
 * How the fee was paid: DEBIT_CARD (OmanNet), CREDIT_CARD, BANK_TRANSFER, OTHER. A reader that does not know a newer symbol reads OTHER | طريقة دفع الرسم: DEBIT_CARD (بطاقة الخصم عبر عُمان نت)، CREDIT_CARD (بطاقة ائتمان)، BANK_TRANSFER (تحويل مصرفي)، OTHER (غير ذلك). القارئ الذي لا يعرف رمزًا أحدث يقرؤه OTHER
 * Avro enum `om.gov.rabt.epay.PaymentMethod`. A reader that does not know a newer symbol reads `OTHER`.
 */
export type EpayPaymentMethod = 'DEBIT_CARD' | 'CREDIT_CARD' | 'BANK_TRANSFER' | 'OTHER';

/**
 * Royal Oman Police (ROP) moved the worker's residence permit to the new employer as sponsor | نقلت شرطة عُمان السلطانية كفالة تصريح إقامة العامل إلى صاحب العمل الجديد
 * Avro record `om.gov.rabt.rop.ResidenceSponsorTransferred`.
 */
export interface RopResidenceSponsorTransferredData {
  /** Number of the worker's residence permit | رقم تصريح إقامة العامل */
  residencePermitNumber: string;
  /**
   * Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  workerCivilNumber: string;
  /** Commercial registration (CR) number of the previous sponsor (the current employer) | رقم السجل التجاري للكفيل السابق (صاحب العمل الحالي) */
  previousSponsorCrNumber: string;
  /** Commercial registration (CR) number of the new sponsor (the new employer) | رقم السجل التجاري للكفيل الجديد (صاحب العمل الجديد) */
  newSponsorCrNumber: string;
  /** requestId of the MoM service-transfer request this event follows from | معرّف طلب نقل الخدمات (requestId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث */
  transferRequestId: string;
  /**
   * Last day the residence permit is valid under the new sponsor (days since 1970-01-01) | آخر يوم يسري فيه تصريح الإقامة على كفالة الكفيل الجديد (بالأيام منذ 1970-01-01)
   * Avro `date`: days since 1970-01-01 (an int, never an ISO string).
   */
  residenceValidUntil: number;
  /**
   * When ROP recorded the new sponsor (UTC, milliseconds since 1970-01-01) | وقت تسجيل الشرطة للكفيل الجديد (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  transferredAt: number;
  /** Officer who recorded the transfer | الضابط الذي سجّل النقل */
  transferringOfficer: RopPoliceOfficer;
}

/**
 * MoM approved the transfer of the worker's services and issued a work permit with the new employer; completes the worker-service-transfer transaction | وافقت وزارة العمل على نقل خدمات العامل وأصدرت له تصريح عمل لدى صاحب العمل الجديد، وبه يكتمل إجراء نقل الخدمات
 * Avro record `om.gov.rabt.mom.WorkerServiceTransferApproved`.
 */
export interface MomWorkerServiceTransferApprovedData {
  /** requestId of the MoM service-transfer request this event follows from | معرّف طلب نقل الخدمات (requestId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث */
  transferRequestId: string;
  /**
   * Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام
   * Personal data (`rabt.sensitive`): masked in logs and operator views.
   */
  workerCivilNumber: string;
  /** Number of the work permit with the previous employer, now cancelled | رقم تصريح العمل لدى صاحب العمل السابق، وقد أُلغي */
  previousWorkPermitNumber: string;
  /** Number of the new work permit with the new employer | رقم تصريح العمل الجديد لدى صاحب العمل الجديد */
  newWorkPermitNumber: string;
  /** Commercial registration (CR) number of the new employer | رقم السجل التجاري لصاحب العمل الجديد */
  newEmployerCrNumber: string;
  /**
   * First day the worker works for the new employer (days since 1970-01-01) | أول يوم يعمل فيه العامل لدى صاحب العمل الجديد (بالأيام منذ 1970-01-01)
   * Avro `date`: days since 1970-01-01 (an int, never an ISO string).
   */
  effectiveFrom: number;
  /**
   * Last day the new work permit is valid (days since 1970-01-01) | آخر يوم يسري فيه تصريح العمل الجديد (بالأيام منذ 1970-01-01)
   * Avro `date`: days since 1970-01-01 (an int, never an ISO string).
   */
  newPermitValidUntil: number;
  /**
   * When MoM approved the transfer (UTC, milliseconds since 1970-01-01) | وقت موافقة وزارة العمل على النقل (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  approvedAt: number;
  /** Identifier of the MoM officer who approved the transfer | معرّف موظف وزارة العمل الذي وافق على النقل */
  approvedBy: string;
}

/**
 * Rabt recorded that one step of a cross-agency transaction completed | سجّل ربط اكتمال خطوة من خطوات معاملة مشتركة بين الجهات
 * Avro record `om.gov.rabt.rabt.TransactionStepCompleted`.
 */
export interface RabtTransactionStepCompletedData {
  /** Identifier of the cross-agency transaction (the CloudEvents transactionid extension) | معرّف المعاملة المشتركة بين الجهات (امتداد transactionid في CloudEvents) */
  transactionId: string;
  /** Name of the workflow (e.g. employee-left-work) | اسم سير العمل (مثل employee-left-work) */
  workflow: string;
  /** Version of the workflow definition the transaction runs | إصدار تعريف سير العمل الذي تجري عليه المعاملة */
  workflowVersion: number;
  /** Name of the completed step (e.g. register-absconding) | اسم الخطوة المكتملة (مثل register-absconding) */
  step: string;
  /** Code of the agency that completed the step (e.g. rop) | رمز الجهة التي أنجزت الخطوة (مثل rop) */
  agency: string;
  /**
   * When Rabt recorded the step as completed (UTC, milliseconds since 1970-01-01) | وقت تسجيل ربط لاكتمال الخطوة (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  occurredAt: number;
}

/**
 * Every step of a cross-agency transaction completed | اكتملت جميع خطوات معاملة مشتركة بين الجهات
 * Avro record `om.gov.rabt.rabt.TransactionCompleted`.
 */
export interface RabtTransactionCompletedData {
  /** Identifier of the cross-agency transaction (the CloudEvents transactionid extension) | معرّف المعاملة المشتركة بين الجهات (امتداد transactionid في CloudEvents) */
  transactionId: string;
  /** Name of the workflow (e.g. employee-left-work) | اسم سير العمل (مثل employee-left-work) */
  workflow: string;
  /** Version of the workflow definition the transaction runs | إصدار تعريف سير العمل الذي تجري عليه المعاملة */
  workflowVersion: number;
  /**
   * When Rabt recorded the completion (UTC, milliseconds since 1970-01-01) | وقت تسجيل ربط لاكتمال المعاملة (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  occurredAt: number;
  /**
   * When the transaction started (its triggering event) (UTC, milliseconds since 1970-01-01) | وقت بدء المعاملة (حدثها المُطلِق) (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  startedAt: number;
  /**
   * When the last step of the transaction completed (UTC, milliseconds since 1970-01-01) | وقت اكتمال آخر خطوة في المعاملة (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  completedAt: number;
  /** Codes of the agencies that took part, in order of first participation (e.g. mom, rop, moci) | رموز الجهات المشاركة بترتيب أول مشاركة لكل منها (مثل mom وrop وmoci) */
  agencies: string[];
}

/**
 * A step of a cross-agency transaction was not completed within its service-level agreement (SLA) | لم تُنجَز خطوة من خطوات معاملة مشتركة بين الجهات خلال المدة المحددة في اتفاقية مستوى الخدمة
 * Avro record `om.gov.rabt.rabt.TransactionSlaBreached`.
 */
export interface RabtTransactionSlaBreachedData {
  /** Identifier of the cross-agency transaction (the CloudEvents transactionid extension) | معرّف المعاملة المشتركة بين الجهات (امتداد transactionid في CloudEvents) */
  transactionId: string;
  /** Name of the workflow (e.g. employee-left-work) | اسم سير العمل (مثل employee-left-work) */
  workflow: string;
  /** Version of the workflow definition the transaction runs | إصدار تعريف سير العمل الذي تجري عليه المعاملة */
  workflowVersion: number;
  /** Name of the overdue step | اسم الخطوة المتأخرة */
  step: string;
  /** Code of the agency that owes the step | رمز الجهة المسؤولة عن إنجاز الخطوة */
  agency: string;
  /**
   * When Rabt detected the breach (UTC, milliseconds since 1970-01-01) | وقت رصد ربط للتأخّر (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  occurredAt: number;
  /** Time allowed for the step, in seconds | المدة المسموح بها لإنجاز الخطوة بالثواني */
  slaSeconds: number;
  /** How far past the SLA the step was when the breach was raised, in seconds | مقدار تجاوز الخطوة للمدة المسموح بها عند رصد التأخّر، بالثواني */
  overdueSeconds: number;
}

/**
 * A cross-agency transaction was undone: every compensating step completed (e.g. after the report was withdrawn) | أُلغيت معاملة مشتركة بين الجهات: اكتملت جميع خطواتها التعويضية (مثلًا بعد سحب البلاغ)
 * Avro record `om.gov.rabt.rabt.TransactionCompensated`.
 */
export interface RabtTransactionCompensatedData {
  /** Identifier of the cross-agency transaction (the CloudEvents transactionid extension) | معرّف المعاملة المشتركة بين الجهات (امتداد transactionid في CloudEvents) */
  transactionId: string;
  /** Name of the workflow (e.g. employee-left-work) | اسم سير العمل (مثل employee-left-work) */
  workflow: string;
  /** Version of the workflow definition the transaction runs | إصدار تعريف سير العمل الذي تجري عليه المعاملة */
  workflowVersion: number;
  /**
   * When Rabt recorded the transaction as compensated (UTC, milliseconds since 1970-01-01) | وقت تسجيل ربط لإلغاء المعاملة (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)
   * Avro `timestamp-millis`: milliseconds since 1970-01-01T00:00:00Z (a number, never an ISO string).
   */
  occurredAt: number;
  /**
   * CloudEvents type of the event that started the compensation (e.g. mom.employee.left-work-withdrawn), or null if an operator started it | نوع CloudEvents للحدث الذي بدأ التعويض (مثل mom.employee.left-work-withdrawn)، أو null إن بدأه مشغّل
   * Default: `null`.
   */
  triggerType: string | null;
  /**
   * Names of the steps that were undone, in the order they were compensated | أسماء الخطوات التي أُلغيت بترتيب تنفيذ التعويض
   * Default: `[]`.
   */
  compensatedSteps: string[];
}

/** The CloudEvents `data` of each event type, as read with avsc `wrapUnions: false`. */
export interface EventDataByType {
  'mom.employee.left-work-reported': MomEmployeeLeftWorkReportedData;
  'rop.residence.absconding-registered': RopResidenceAbscondingRegisteredData;
  'moci.employer.labour-record-updated': MociEmployerLabourRecordUpdatedData;
  'mom.work-permit.suspended': MomWorkPermitSuspendedData;
  'mom.employee.left-work-withdrawn': MomEmployeeLeftWorkWithdrawnData;
  'rop.residence.absconding-cancelled': RopResidenceAbscondingCancelledData;
  'moci.employer.labour-record-reverted': MociEmployerLabourRecordRevertedData;
  'mom.work-permit.reinstated': MomWorkPermitReinstatedData;
  'mom.worker.service-transfer-requested': MomWorkerServiceTransferRequestedData;
  'epay.payment.fee-settled': EpayPaymentFeeSettledData;
  'rop.residence.sponsor-transferred': RopResidenceSponsorTransferredData;
  'mom.worker.service-transfer-approved': MomWorkerServiceTransferApprovedData;
  'rabt.transaction.step-completed': RabtTransactionStepCompletedData;
  'rabt.transaction.completed': RabtTransactionCompletedData;
  'rabt.transaction.sla-breached': RabtTransactionSlaBreachedData;
  'rabt.transaction.compensated': RabtTransactionCompensatedData;
}

/** Every event type: topic settings, registry subject, owner and Avro schema (schemas/catalogue.json). */
export const CATALOGUE = [
  {
    type: 'mom.employee.left-work-reported',
    topic: 'mom.employee.left-work-reported',
    subject: 'mom.employee.left-work-reported-value',
    owner: 'mom',
    partitionKey: 'workerCivilNumber',
    partitions: 6,
    retentionMs: 2592000000,
    compatibility: 'BACKWARD',
    workflowTrigger: true,
    description: {
      en: 'An employer reported to MoM that a worker left work. Starts the employee-left-work transaction.',
      ar: 'أبلغ صاحب العمل وزارة العمل بأن عاملًا ترك العمل. يبدأ به إجراء ترك العامل للعمل.',
    },
    schema: {
      type: 'record',
      name: 'EmployeeLeftWorkReported',
      namespace: 'om.gov.rabt.mom',
      doc: 'An employer reported to the Ministry of Manpower (MoM) that a worker left work; starts the employee-left-work transaction | أبلغ صاحب العمل وزارة العمل بأن عاملًا ترك العمل، ويبدأ به إجراء ترك العامل للعمل',
      fields: [
        {
          name: 'reportId',
          type: 'string',
          doc: 'Identifier MoM assigned to this left-work report; later events refer to it as relatedReportId | معرّف بلاغ ترك العمل لدى وزارة العمل، وتشير إليه الأحداث اللاحقة باسم relatedReportId',
        },
        {
          name: 'workerCivilNumber',
          type: 'string',
          doc: 'Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام',
          'rabt.sensitive': true,
        },
        {
          name: 'workerName',
          type: {
            type: 'record',
            name: 'WorkerName',
            doc: 'Name of the worker in English and Arabic | اسم العامل بالإنجليزية والعربية',
            fields: [
              {
                name: 'nameEn',
                type: 'string',
                doc: 'Full name in English (Latin script), as in the passport | الاسم الكامل بالإنجليزية (بالحروف اللاتينية) كما في جواز السفر',
                'rabt.sensitive': true,
              },
              {
                name: 'nameAr',
                type: 'string',
                doc: 'Full name in Arabic | الاسم الكامل بالعربية',
                'rabt.sensitive': true,
              },
            ],
          },
          doc: 'Full name of the worker as on the work permit | الاسم الكامل للعامل كما في تصريح العمل',
          'rabt.sensitive': true,
        },
        {
          name: 'nationality',
          type: 'string',
          doc: 'Nationality of the worker as an ISO 3166-1 alpha-3 code (e.g. BGD, IND) | جنسية العامل برمز ISO 3166-1 الثلاثي (مثل BGD وIND)',
        },
        {
          name: 'passportNumber',
          type: ['null', 'string'],
          default: null,
          doc: 'Passport number of the worker, or null if not known | رقم جواز سفر العامل، أو null إن لم يكن معروفًا',
          'rabt.sensitive': true,
        },
        {
          name: 'workPermitNumber',
          type: 'string',
          doc: 'Number of the worker\'s work permit (labour card) | رقم تصريح عمل العامل (بطاقة العمل)',
        },
        {
          name: 'employerCrNumber',
          type: 'string',
          doc: 'Commercial registration (CR) number of the employer | رقم السجل التجاري لصاحب العمل',
        },
        {
          name: 'employerNameEn',
          type: 'string',
          doc: 'Registered trade name of the employer in English | الاسم التجاري المسجَّل لصاحب العمل بالإنجليزية',
        },
        {
          name: 'employerNameAr',
          type: 'string',
          doc: 'Registered trade name of the employer in Arabic | الاسم التجاري المسجَّل لصاحب العمل بالعربية',
        },
        {
          name: 'occupationCode',
          type: 'string',
          doc: 'Worker\'s occupation as an ISCO-08 code (e.g. 7112 Bricklayer) | مهنة العامل برمز التصنيف الدولي الموحّد للمهن ISCO-08 (مثل 7112 بنّاء)',
        },
        {
          name: 'occupationTitle',
          type: 'string',
          doc: 'Occupation title as on the work permit | المسمّى المهني كما في تصريح العمل',
        },
        {
          name: 'lastWorkingDay',
          type: {
            type: 'int',
            logicalType: 'date',
          },
          doc: 'Last day the worker reported for work (days since 1970-01-01) | آخر يوم حضر فيه العامل إلى العمل (بالأيام منذ 1970-01-01)',
        },
        {
          name: 'reason',
          type: {
            type: 'enum',
            name: 'LeftWorkReason',
            doc: 'Why a worker left work: ABSCONDED (left without notice), RESIGNED, TERMINATED (by the employer), CONTRACT_ENDED, DECEASED, OTHER (see reasonDetails). A reader that does not know a newer symbol reads OTHER | سبب ترك العامل للعمل: ABSCONDED (تغيّب عن العمل دون إشعار)، RESIGNED (استقال)، TERMINATED (أنهى صاحب العمل خدماته)، CONTRACT_ENDED (انتهى العقد)، DECEASED (توفي)، OTHER (انظر reasonDetails). القارئ الذي لا يعرف رمزًا أحدث يقرؤه OTHER',
            symbols: ['ABSCONDED', 'RESIGNED', 'TERMINATED', 'CONTRACT_ENDED', 'DECEASED', 'OTHER'],
            default: 'OTHER',
          },
          doc: 'Reason the worker left work | سبب ترك العامل للعمل',
        },
        {
          name: 'reasonDetails',
          type: ['null', 'string'],
          default: null,
          doc: 'Free-text details of the reason (expected when reason is OTHER), or null | تفاصيل السبب نصًّا حرًّا (متوقَّعة عندما يكون السبب OTHER)، أو null',
          'rabt.sensitive': true,
        },
        {
          name: 'reportedBy',
          type: {
            type: 'record',
            name: 'ReportingOfficer',
            doc: 'A person acting for the employer towards MoM | شخص يتعامل مع وزارة العمل نيابة عن صاحب العمل',
            fields: [
              {
                name: 'officerId',
                type: 'string',
                doc: 'Identifier of the person in the MoM e-services system | معرّف الشخص في نظام الخدمات الإلكترونية لوزارة العمل',
              },
              {
                name: 'nameEn',
                type: 'string',
                doc: 'Name of the person in English | اسم الشخص بالإنجليزية',
                'rabt.sensitive': true,
              },
              {
                name: 'nameAr',
                type: 'string',
                doc: 'Name of the person in Arabic | اسم الشخص بالعربية',
                'rabt.sensitive': true,
              },
              {
                name: 'role',
                type: 'string',
                doc: 'Role of the person at the employer (e.g. Public Relations Officer, HR Manager) | صفة الشخص لدى صاحب العمل (مثل مندوب العلاقات العامة، مدير الموارد البشرية)',
              },
            ],
          },
          doc: 'Person who filed the report on the employer\'s behalf | الشخص الذي قدّم البلاغ نيابة عن صاحب العمل',
        },
        {
          name: 'reportedAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When the employer filed the report (UTC, milliseconds since 1970-01-01) | وقت تقديم صاحب العمل للبلاغ (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'workerLastKnownAddress',
          type: [
            'null',
            {
              type: 'record',
              name: 'WorkerAddress',
              doc: 'An address in the Sultanate of Oman | عنوان في سلطنة عُمان',
              fields: [
                {
                  name: 'governorate',
                  type: 'string',
                  doc: 'Governorate (e.g. Muscat, Dhofar) | المحافظة (مثل مسقط، ظفار)',
                  'rabt.sensitive': true,
                },
                {
                  name: 'wilayat',
                  type: 'string',
                  doc: 'Wilayat (e.g. Seeb, Bawshar) | الولاية (مثل السيب، بوشر)',
                  'rabt.sensitive': true,
                },
                {
                  name: 'details',
                  type: 'string',
                  doc: 'Further details: area, way or street, building, landmark | تفاصيل إضافية: المنطقة، السكة أو الشارع، المبنى، معلم قريب',
                  'rabt.sensitive': true,
                },
              ],
            },
          ],
          default: null,
          doc: 'Last known address of the worker in Oman, or null if not known | آخر عنوان معروف للعامل في سلطنة عُمان، أو null إن لم يكن معروفًا',
          'rabt.sensitive': true,
        },
      ],
    },
  },
  {
    type: 'rop.residence.absconding-registered',
    topic: 'rop.residence.absconding-registered',
    subject: 'rop.residence.absconding-registered-value',
    owner: 'rop',
    partitionKey: 'workerCivilNumber',
    partitions: 6,
    retentionMs: 2592000000,
    compatibility: 'BACKWARD',
    workflowTrigger: false,
    description: {
      en: 'Royal Oman Police registered an absconding case against the worker\'s residence permit.',
      ar: 'سجّلت شرطة عُمان السلطانية بلاغ تغيّب عن العمل على تصريح إقامة العامل.',
    },
    schema: {
      type: 'record',
      name: 'ResidenceAbscondingRegistered',
      namespace: 'om.gov.rabt.rop',
      doc: 'Royal Oman Police (ROP) registered an absconding case against the worker\'s residence permit | سجّلت شرطة عُمان السلطانية بلاغ تغيّب عن العمل على تصريح إقامة العامل',
      fields: [
        {
          name: 'caseNumber',
          type: 'string',
          doc: 'ROP case number of the absconding registration | رقم قضية تسجيل التغيّب لدى شرطة عُمان السلطانية',
        },
        {
          name: 'workerCivilNumber',
          type: 'string',
          doc: 'Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام',
          'rabt.sensitive': true,
        },
        {
          name: 'residencePermitNumber',
          type: 'string',
          doc: 'Number of the worker\'s residence permit | رقم تصريح إقامة العامل',
        },
        {
          name: 'residencePermitStatus',
          type: {
            type: 'enum',
            name: 'ResidencePermitStatus',
            doc: 'Status of a residence permit: ACTIVE, FLAGGED_ABSCONDING (absconding case registered), CANCELLED. A reader that does not know a newer symbol reads FLAGGED_ABSCONDING, so an unknown status is never taken for ACTIVE | حالة تصريح الإقامة: ACTIVE (سارٍ)، FLAGGED_ABSCONDING (مسجَّل عليه بلاغ تغيّب)، CANCELLED (ملغى). القارئ الذي لا يعرف رمزًا أحدث يقرؤه FLAGGED_ABSCONDING، فلا تُعدّ حالة مجهولة سارية أبدًا',
            symbols: ['ACTIVE', 'FLAGGED_ABSCONDING', 'CANCELLED'],
            default: 'FLAGGED_ABSCONDING',
          },
          doc: 'Status of the residence permit after the registration | حالة تصريح الإقامة بعد التسجيل',
        },
        {
          name: 'relatedReportId',
          type: 'string',
          doc: 'reportId of the MoM left-work report this event follows from | معرّف بلاغ ترك العمل (reportId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث',
        },
        {
          name: 'registeredAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When ROP registered the case (UTC, milliseconds since 1970-01-01) | وقت تسجيل الشرطة للقضية (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'registeringOfficer',
          type: {
            type: 'record',
            name: 'PoliceOfficer',
            doc: 'An officer of the Royal Oman Police | ضابط أو فرد في شرطة عُمان السلطانية',
            fields: [
              {
                name: 'officerId',
                type: 'string',
                doc: 'Service number of the officer | الرقم العسكري للضابط',
              },
              {
                name: 'nameEn',
                type: 'string',
                doc: 'Name of the officer in English | اسم الضابط بالإنجليزية',
                'rabt.sensitive': true,
              },
              {
                name: 'nameAr',
                type: 'string',
                doc: 'Name of the officer in Arabic | اسم الضابط بالعربية',
                'rabt.sensitive': true,
              },
              {
                name: 'rank',
                type: 'string',
                doc: 'Rank of the officer (e.g. Captain, Major) | رتبة الضابط (مثل نقيب، رائد)',
              },
            ],
          },
          doc: 'Officer who registered the case | الضابط الذي سجّل القضية',
        },
        {
          name: 'policeStation',
          type: 'string',
          doc: 'Police station where the case was registered (e.g. Seeb Police Station) | مركز الشرطة الذي سُجّلت فيه القضية (مثل مركز شرطة السيب)',
        },
        {
          name: 'travelBanImposed',
          type: 'boolean',
          doc: 'Whether a travel ban was imposed on the worker | هل فُرض حظر سفر على العامل',
        },
      ],
    },
  },
  {
    type: 'moci.employer.labour-record-updated',
    topic: 'moci.employer.labour-record-updated',
    subject: 'moci.employer.labour-record-updated-value',
    owner: 'moci',
    partitionKey: 'workerCivilNumber',
    partitions: 6,
    retentionMs: 2592000000,
    compatibility: 'BACKWARD',
    workflowTrigger: false,
    description: {
      en: 'MOCI updated the employer\'s labour record for the worker.',
      ar: 'حدّثت وزارة التجارة والصناعة السجلّ العمّالي لصاحب العمل بشأن العامل.',
    },
    schema: {
      type: 'record',
      name: 'EmployerLabourRecordUpdated',
      namespace: 'om.gov.rabt.moci',
      doc: 'The Ministry of Commerce and Industry (MOCI) updated the employer\'s labour record after a left-work report | حدّثت وزارة التجارة والصناعة السجلّ العمّالي لصاحب العمل إثر بلاغ ترك العمل',
      fields: [
        {
          name: 'employerCrNumber',
          type: 'string',
          doc: 'Commercial registration (CR) number of the employer | رقم السجل التجاري لصاحب العمل',
        },
        {
          name: 'workerCivilNumber',
          type: 'string',
          doc: 'Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام',
          'rabt.sensitive': true,
        },
        {
          name: 'relatedReportId',
          type: 'string',
          doc: 'reportId of the MoM left-work report this event follows from | معرّف بلاغ ترك العمل (reportId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث',
        },
        {
          name: 'labourRecordAction',
          type: {
            type: 'enum',
            name: 'LabourRecordAction',
            doc: 'Change made to the worker\'s entry in an employer\'s labour record: WORKER_REMOVED, WORKER_FLAGGED (kept but marked), RESTORED (a removal or flag undone). A reader that does not know a newer symbol reads WORKER_FLAGGED | التغيير الذي أُجري على قيد العامل في السجلّ العمّالي لصاحب العمل: WORKER_REMOVED (حُذف العامل)، WORKER_FLAGGED (بقي مع وضع علامة عليه)، RESTORED (أُلغي الحذف أو العلامة). القارئ الذي لا يعرف رمزًا أحدث يقرؤه WORKER_FLAGGED',
            symbols: ['WORKER_REMOVED', 'WORKER_FLAGGED', 'RESTORED'],
            default: 'WORKER_FLAGGED',
          },
          doc: 'What was done to the worker\'s entry | الإجراء الذي اتُّخذ على قيد العامل',
        },
        {
          name: 'activeWorkersAfter',
          type: 'int',
          doc: 'Number of active workers on the employer\'s labour record after the update | عدد العمّال النشطين في السجلّ العمّالي لصاحب العمل بعد التحديث',
        },
        {
          name: 'updatedAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When MOCI updated the record (UTC, milliseconds since 1970-01-01) | وقت تحديث الوزارة للسجلّ (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'updatedBy',
          type: 'string',
          doc: 'Identifier of the MOCI officer who made the update | معرّف موظف وزارة التجارة والصناعة الذي أجرى التحديث',
        },
      ],
    },
  },
  {
    type: 'mom.work-permit.suspended',
    topic: 'mom.work-permit.suspended',
    subject: 'mom.work-permit.suspended-value',
    owner: 'mom',
    partitionKey: 'workerCivilNumber',
    partitions: 6,
    retentionMs: 2592000000,
    compatibility: 'BACKWARD',
    workflowTrigger: false,
    description: {
      en: 'MoM suspended the worker\'s work permit.',
      ar: 'أوقفت وزارة العمل تصريح عمل العامل.',
    },
    schema: {
      type: 'record',
      name: 'WorkPermitSuspended',
      namespace: 'om.gov.rabt.mom',
      doc: 'MoM suspended the worker\'s work permit | أوقفت وزارة العمل تصريح عمل العامل',
      fields: [
        {
          name: 'workPermitNumber',
          type: 'string',
          doc: 'Number of the suspended work permit | رقم تصريح العمل الموقوف',
        },
        {
          name: 'workerCivilNumber',
          type: 'string',
          doc: 'Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام',
          'rabt.sensitive': true,
        },
        {
          name: 'employerCrNumber',
          type: 'string',
          doc: 'Commercial registration (CR) number of the employer | رقم السجل التجاري لصاحب العمل',
        },
        {
          name: 'relatedReportId',
          type: 'string',
          doc: 'reportId of the MoM left-work report this event follows from | معرّف بلاغ ترك العمل (reportId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث',
        },
        {
          name: 'suspensionReason',
          type: 'string',
          doc: 'Why the permit was suspended | سبب إيقاف التصريح',
        },
        {
          name: 'suspendedFrom',
          type: {
            type: 'int',
            logicalType: 'date',
          },
          doc: 'First day the suspension applies (days since 1970-01-01) | أول يوم يسري فيه الإيقاف (بالأيام منذ 1970-01-01)',
        },
        {
          name: 'suspendedAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When MoM recorded the suspension (UTC, milliseconds since 1970-01-01) | وقت تسجيل وزارة العمل للإيقاف (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'suspendedBy',
          type: 'string',
          doc: 'Identifier of the MoM officer who suspended the permit | معرّف موظف وزارة العمل الذي أوقف التصريح',
        },
      ],
    },
  },
  {
    type: 'mom.employee.left-work-withdrawn',
    topic: 'mom.employee.left-work-withdrawn',
    subject: 'mom.employee.left-work-withdrawn-value',
    owner: 'mom',
    partitionKey: 'workerCivilNumber',
    partitions: 6,
    retentionMs: 2592000000,
    compatibility: 'BACKWARD',
    workflowTrigger: false,
    description: {
      en: 'The employer withdrew a left-work report; the transaction it started is compensated.',
      ar: 'سحب صاحب العمل بلاغ ترك العمل، فتُنفَّذ الخطوات التعويضية للمعاملة التي بدأها.',
    },
    schema: {
      type: 'record',
      name: 'EmployeeLeftWorkWithdrawn',
      namespace: 'om.gov.rabt.mom',
      doc: 'The employer withdrew a left-work report; the transaction it started is compensated | سحب صاحب العمل بلاغ ترك العمل، فتُنفَّذ الخطوات التعويضية للمعاملة التي بدأها',
      fields: [
        {
          name: 'reportId',
          type: 'string',
          doc: 'Identifier of the withdrawn left-work report | معرّف بلاغ ترك العمل المسحوب',
        },
        {
          name: 'workerCivilNumber',
          type: 'string',
          doc: 'Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام',
          'rabt.sensitive': true,
        },
        {
          name: 'employerCrNumber',
          type: 'string',
          doc: 'Commercial registration (CR) number of the employer | رقم السجل التجاري لصاحب العمل',
        },
        {
          name: 'withdrawalReason',
          type: 'string',
          doc: 'Why the employer withdrew the report (free text) | سبب سحب صاحب العمل للبلاغ (نصّ حرّ)',
          'rabt.sensitive': true,
        },
        {
          name: 'withdrawnAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When the employer withdrew the report (UTC, milliseconds since 1970-01-01) | وقت سحب صاحب العمل للبلاغ (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'withdrawnBy',
          type: {
            type: 'record',
            name: 'ReportingOfficer',
            doc: 'A person acting for the employer towards MoM | شخص يتعامل مع وزارة العمل نيابة عن صاحب العمل',
            fields: [
              {
                name: 'officerId',
                type: 'string',
                doc: 'Identifier of the person in the MoM e-services system | معرّف الشخص في نظام الخدمات الإلكترونية لوزارة العمل',
              },
              {
                name: 'nameEn',
                type: 'string',
                doc: 'Name of the person in English | اسم الشخص بالإنجليزية',
                'rabt.sensitive': true,
              },
              {
                name: 'nameAr',
                type: 'string',
                doc: 'Name of the person in Arabic | اسم الشخص بالعربية',
                'rabt.sensitive': true,
              },
              {
                name: 'role',
                type: 'string',
                doc: 'Role of the person at the employer (e.g. Public Relations Officer, HR Manager) | صفة الشخص لدى صاحب العمل (مثل مندوب العلاقات العامة، مدير الموارد البشرية)',
              },
            ],
          },
          doc: 'Person who withdrew the report on the employer\'s behalf | الشخص الذي سحب البلاغ نيابة عن صاحب العمل',
        },
      ],
    },
  },
  {
    type: 'rop.residence.absconding-cancelled',
    topic: 'rop.residence.absconding-cancelled',
    subject: 'rop.residence.absconding-cancelled-value',
    owner: 'rop',
    partitionKey: 'workerCivilNumber',
    partitions: 6,
    retentionMs: 2592000000,
    compatibility: 'BACKWARD',
    workflowTrigger: false,
    description: {
      en: 'Royal Oman Police cancelled the absconding case against the worker\'s residence permit (the report was withdrawn).',
      ar: 'ألغت شرطة عُمان السلطانية بلاغ التغيّب على تصريح إقامة العامل (سُحب البلاغ).',
    },
    schema: {
      type: 'record',
      name: 'ResidenceAbscondingCancelled',
      namespace: 'om.gov.rabt.rop',
      doc: 'Royal Oman Police (ROP) cancelled an absconding case against the worker\'s residence permit because the left-work report was withdrawn; undoes rop.residence.absconding-registered | ألغت شرطة عُمان السلطانية بلاغ التغيّب المسجَّل على تصريح إقامة العامل بعد سحب بلاغ ترك العمل، ويُلغي أثر rop.residence.absconding-registered',
      fields: [
        {
          name: 'caseNumber',
          type: 'string',
          doc: 'ROP case number of the absconding registration that is cancelled | رقم قضية تسجيل التغيّب الملغاة لدى شرطة عُمان السلطانية',
        },
        {
          name: 'workerCivilNumber',
          type: 'string',
          doc: 'Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام',
          'rabt.sensitive': true,
        },
        {
          name: 'residencePermitNumber',
          type: 'string',
          doc: 'Number of the worker\'s residence permit | رقم تصريح إقامة العامل',
        },
        {
          name: 'residencePermitStatus',
          type: {
            type: 'enum',
            name: 'ResidencePermitStatus',
            doc: 'Status of a residence permit: ACTIVE, FLAGGED_ABSCONDING (absconding case registered), CANCELLED. A reader that does not know a newer symbol reads FLAGGED_ABSCONDING, so an unknown status is never taken for ACTIVE | حالة تصريح الإقامة: ACTIVE (سارٍ)، FLAGGED_ABSCONDING (مسجَّل عليه بلاغ تغيّب)، CANCELLED (ملغى). القارئ الذي لا يعرف رمزًا أحدث يقرؤه FLAGGED_ABSCONDING، فلا تُعدّ حالة مجهولة سارية أبدًا',
            symbols: ['ACTIVE', 'FLAGGED_ABSCONDING', 'CANCELLED'],
            default: 'FLAGGED_ABSCONDING',
          },
          doc: 'Status of the residence permit after the cancellation (normally ACTIVE again) | حالة تصريح الإقامة بعد الإلغاء (سارٍ من جديد في العادة)',
        },
        {
          name: 'relatedReportId',
          type: 'string',
          doc: 'reportId of the MoM left-work report this event follows from | معرّف بلاغ ترك العمل (reportId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث',
        },
        {
          name: 'travelBanLifted',
          type: 'boolean',
          doc: 'Whether a travel ban imposed with the case was lifted | هل رُفع حظر السفر الذي فُرض مع القضية',
        },
        {
          name: 'cancelledAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When ROP cancelled the case (UTC, milliseconds since 1970-01-01) | وقت إلغاء الشرطة للقضية (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'cancellingOfficer',
          type: {
            type: 'record',
            name: 'PoliceOfficer',
            doc: 'An officer of the Royal Oman Police | ضابط أو فرد في شرطة عُمان السلطانية',
            fields: [
              {
                name: 'officerId',
                type: 'string',
                doc: 'Service number of the officer | الرقم العسكري للضابط',
              },
              {
                name: 'nameEn',
                type: 'string',
                doc: 'Name of the officer in English | اسم الضابط بالإنجليزية',
                'rabt.sensitive': true,
              },
              {
                name: 'nameAr',
                type: 'string',
                doc: 'Name of the officer in Arabic | اسم الضابط بالعربية',
                'rabt.sensitive': true,
              },
              {
                name: 'rank',
                type: 'string',
                doc: 'Rank of the officer (e.g. Captain, Major) | رتبة الضابط (مثل نقيب، رائد)',
              },
            ],
          },
          doc: 'Officer who cancelled the case | الضابط الذي ألغى القضية',
        },
      ],
    },
  },
  {
    type: 'moci.employer.labour-record-reverted',
    topic: 'moci.employer.labour-record-reverted',
    subject: 'moci.employer.labour-record-reverted-value',
    owner: 'moci',
    partitionKey: 'workerCivilNumber',
    partitions: 6,
    retentionMs: 2592000000,
    compatibility: 'BACKWARD',
    workflowTrigger: false,
    description: {
      en: 'MOCI reverted its update of the employer\'s labour record (the report was withdrawn).',
      ar: 'أعادت وزارة التجارة والصناعة السجلّ العمّالي لصاحب العمل إلى ما كان عليه (سُحب البلاغ).',
    },
    schema: {
      type: 'record',
      name: 'EmployerLabourRecordReverted',
      namespace: 'om.gov.rabt.moci',
      doc: 'The Ministry of Commerce and Industry (MOCI) reverted its update of the employer\'s labour record because the left-work report was withdrawn; undoes moci.employer.labour-record-updated | أعادت وزارة التجارة والصناعة السجلّ العمّالي لصاحب العمل إلى ما كان عليه بعد سحب بلاغ ترك العمل، ويُلغي أثر moci.employer.labour-record-updated',
      fields: [
        {
          name: 'employerCrNumber',
          type: 'string',
          doc: 'Commercial registration (CR) number of the employer | رقم السجل التجاري لصاحب العمل',
        },
        {
          name: 'workerCivilNumber',
          type: 'string',
          doc: 'Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام',
          'rabt.sensitive': true,
        },
        {
          name: 'relatedReportId',
          type: 'string',
          doc: 'reportId of the MoM left-work report this event follows from | معرّف بلاغ ترك العمل (reportId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث',
        },
        {
          name: 'revertedAction',
          type: {
            type: 'enum',
            name: 'LabourRecordAction',
            doc: 'Change made to the worker\'s entry in an employer\'s labour record: WORKER_REMOVED, WORKER_FLAGGED (kept but marked), RESTORED (a removal or flag undone). A reader that does not know a newer symbol reads WORKER_FLAGGED | التغيير الذي أُجري على قيد العامل في السجلّ العمّالي لصاحب العمل: WORKER_REMOVED (حُذف العامل)، WORKER_FLAGGED (بقي مع وضع علامة عليه)، RESTORED (أُلغي الحذف أو العلامة). القارئ الذي لا يعرف رمزًا أحدث يقرؤه WORKER_FLAGGED',
            symbols: ['WORKER_REMOVED', 'WORKER_FLAGGED', 'RESTORED'],
            default: 'WORKER_FLAGGED',
          },
          doc: 'The earlier change that was undone (WORKER_REMOVED or WORKER_FLAGGED) | التغيير السابق الذي أُلغي (WORKER_REMOVED أو WORKER_FLAGGED)',
        },
        {
          name: 'activeWorkersAfter',
          type: 'int',
          doc: 'Number of active workers on the employer\'s labour record after the revert | عدد العمّال النشطين في السجلّ العمّالي لصاحب العمل بعد الإلغاء',
        },
        {
          name: 'revertedAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When MOCI reverted the record (UTC, milliseconds since 1970-01-01) | وقت إعادة الوزارة للسجلّ (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'revertedBy',
          type: 'string',
          doc: 'Identifier of the MOCI officer who reverted the record | معرّف موظف وزارة التجارة والصناعة الذي أعاد السجلّ',
        },
      ],
    },
  },
  {
    type: 'mom.work-permit.reinstated',
    topic: 'mom.work-permit.reinstated',
    subject: 'mom.work-permit.reinstated-value',
    owner: 'mom',
    partitionKey: 'workerCivilNumber',
    partitions: 6,
    retentionMs: 2592000000,
    compatibility: 'BACKWARD',
    workflowTrigger: false,
    description: {
      en: 'MoM reinstated the worker\'s suspended work permit (the report was withdrawn).',
      ar: 'أعادت وزارة العمل تفعيل تصريح عمل العامل الموقوف (سُحب البلاغ).',
    },
    schema: {
      type: 'record',
      name: 'WorkPermitReinstated',
      namespace: 'om.gov.rabt.mom',
      doc: 'MoM reinstated the worker\'s suspended work permit because the left-work report was withdrawn; undoes mom.work-permit.suspended | أعادت وزارة العمل تفعيل تصريح عمل العامل الموقوف بعد سحب بلاغ ترك العمل، ويُلغي أثر mom.work-permit.suspended',
      fields: [
        {
          name: 'workPermitNumber',
          type: 'string',
          doc: 'Number of the reinstated work permit | رقم تصريح العمل المُعاد تفعيله',
        },
        {
          name: 'workerCivilNumber',
          type: 'string',
          doc: 'Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام',
          'rabt.sensitive': true,
        },
        {
          name: 'employerCrNumber',
          type: 'string',
          doc: 'Commercial registration (CR) number of the employer | رقم السجل التجاري لصاحب العمل',
        },
        {
          name: 'relatedReportId',
          type: 'string',
          doc: 'reportId of the MoM left-work report this event follows from | معرّف بلاغ ترك العمل (reportId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث',
        },
        {
          name: 'reinstatementReason',
          type: 'string',
          doc: 'Why the permit was reinstated | سبب إعادة تفعيل التصريح',
        },
        {
          name: 'reinstatedFrom',
          type: {
            type: 'int',
            logicalType: 'date',
          },
          doc: 'First day the permit is valid again (days since 1970-01-01) | أول يوم يعود فيه التصريح ساريًا (بالأيام منذ 1970-01-01)',
        },
        {
          name: 'reinstatedAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When MoM recorded the reinstatement (UTC, milliseconds since 1970-01-01) | وقت تسجيل وزارة العمل لإعادة التفعيل (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'reinstatedBy',
          type: 'string',
          doc: 'Identifier of the MoM officer who reinstated the permit | معرّف موظف وزارة العمل الذي أعاد تفعيل التصريح',
        },
      ],
    },
  },
  {
    type: 'mom.worker.service-transfer-requested',
    topic: 'mom.worker.service-transfer-requested',
    subject: 'mom.worker.service-transfer-requested-value',
    owner: 'mom',
    partitionKey: 'workerCivilNumber',
    partitions: 6,
    retentionMs: 2592000000,
    compatibility: 'BACKWARD',
    workflowTrigger: true,
    description: {
      en: 'A private employer asked MoM to take over a worker\'s services from another private employer. Starts the worker-service-transfer transaction.',
      ar: 'طلب صاحب عمل في القطاع الخاص من وزارة العمل نقل خدمات عامل إليه من صاحب عمل آخر في القطاع الخاص. يبدأ به إجراء نقل خدمات العامل.',
    },
    schema: {
      type: 'record',
      name: 'WorkerServiceTransferRequested',
      namespace: 'om.gov.rabt.mom',
      doc: 'A private employer asked the Ministry of Manpower (MoM) to take over a worker\'s services from the worker\'s current private employer; starts the worker-service-transfer transaction | طلب صاحب عمل في القطاع الخاص من وزارة العمل نقل خدمات عامل إليه من صاحب عمله الحالي في القطاع الخاص، ويبدأ به إجراء نقل خدمات العامل',
      fields: [
        {
          name: 'requestId',
          type: 'string',
          doc: 'Identifier MoM assigned to this transfer request; later events refer to it as transferRequestId | معرّف طلب نقل الخدمات لدى وزارة العمل، وتشير إليه الأحداث اللاحقة باسم transferRequestId',
        },
        {
          name: 'workerCivilNumber',
          type: 'string',
          doc: 'Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام',
          'rabt.sensitive': true,
        },
        {
          name: 'workerName',
          type: {
            type: 'record',
            name: 'WorkerName',
            doc: 'Name of the worker in English and Arabic | اسم العامل بالإنجليزية والعربية',
            fields: [
              {
                name: 'nameEn',
                type: 'string',
                doc: 'Full name in English (Latin script), as in the passport | الاسم الكامل بالإنجليزية (بالحروف اللاتينية) كما في جواز السفر',
                'rabt.sensitive': true,
              },
              {
                name: 'nameAr',
                type: 'string',
                doc: 'Full name in Arabic | الاسم الكامل بالعربية',
                'rabt.sensitive': true,
              },
            ],
          },
          doc: 'Full name of the worker as on the work permit | الاسم الكامل للعامل كما في تصريح العمل',
          'rabt.sensitive': true,
        },
        {
          name: 'nationality',
          type: 'string',
          doc: 'Nationality of the worker as an ISO 3166-1 alpha-3 code (e.g. BGD, IND) | جنسية العامل برمز ISO 3166-1 الثلاثي (مثل BGD وIND)',
        },
        {
          name: 'currentWorkPermitNumber',
          type: 'string',
          doc: 'Number of the worker\'s work permit with the current employer | رقم تصريح عمل العامل لدى صاحب العمل الحالي',
        },
        {
          name: 'currentEmployerCrNumber',
          type: 'string',
          doc: 'Commercial registration (CR) number of the current employer, who releases the worker | رقم السجل التجاري لصاحب العمل الحالي الذي يُخلي طرف العامل',
        },
        {
          name: 'newEmployerCrNumber',
          type: 'string',
          doc: 'Commercial registration (CR) number of the new employer, who takes the worker on | رقم السجل التجاري لصاحب العمل الجديد الذي ينتقل إليه العامل',
        },
        {
          name: 'newEmployerNameEn',
          type: 'string',
          doc: 'Registered trade name of the new employer in English | الاسم التجاري المسجَّل لصاحب العمل الجديد بالإنجليزية',
        },
        {
          name: 'newEmployerNameAr',
          type: 'string',
          doc: 'Registered trade name of the new employer in Arabic | الاسم التجاري المسجَّل لصاحب العمل الجديد بالعربية',
        },
        {
          name: 'occupationCode',
          type: 'string',
          doc: 'Worker\'s occupation with the new employer as an ISCO-08 code (e.g. 7411 Building electrician) | مهنة العامل لدى صاحب العمل الجديد برمز التصنيف الدولي الموحّد للمهن ISCO-08 (مثل 7411 كهربائي مبانٍ)',
        },
        {
          name: 'occupationTitle',
          type: 'string',
          doc: 'Occupation title with the new employer | المسمّى المهني لدى صاحب العمل الجديد',
        },
        {
          name: 'currentEmployerConsent',
          type: 'boolean',
          doc: 'Whether the current employer consented to the transfer (a no-objection) | هل وافق صاحب العمل الحالي على النقل (عدم ممانعة)',
        },
        {
          name: 'requestedTransferDate',
          type: {
            type: 'int',
            logicalType: 'date',
          },
          doc: 'Day from which the worker should work for the new employer (days since 1970-01-01) | اليوم الذي يبدأ فيه العامل العمل لدى صاحب العمل الجديد (بالأيام منذ 1970-01-01)',
        },
        {
          name: 'transferFeeBaisa',
          type: 'long',
          doc: 'Transfer fee due, in baisa (1 Omani rial = 1000 baisa) | رسوم النقل المستحقة بالبيسة (الريال العُماني = 1000 بيسة)',
        },
        {
          name: 'requestedBy',
          type: {
            type: 'record',
            name: 'ReportingOfficer',
            doc: 'A person acting for the employer towards MoM | شخص يتعامل مع وزارة العمل نيابة عن صاحب العمل',
            fields: [
              {
                name: 'officerId',
                type: 'string',
                doc: 'Identifier of the person in the MoM e-services system | معرّف الشخص في نظام الخدمات الإلكترونية لوزارة العمل',
              },
              {
                name: 'nameEn',
                type: 'string',
                doc: 'Name of the person in English | اسم الشخص بالإنجليزية',
                'rabt.sensitive': true,
              },
              {
                name: 'nameAr',
                type: 'string',
                doc: 'Name of the person in Arabic | اسم الشخص بالعربية',
                'rabt.sensitive': true,
              },
              {
                name: 'role',
                type: 'string',
                doc: 'Role of the person at the employer (e.g. Public Relations Officer, HR Manager) | صفة الشخص لدى صاحب العمل (مثل مندوب العلاقات العامة، مدير الموارد البشرية)',
              },
            ],
          },
          doc: 'Person who filed the request on the new employer\'s behalf | الشخص الذي قدّم الطلب نيابة عن صاحب العمل الجديد',
        },
        {
          name: 'requestedAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When the new employer filed the request (UTC, milliseconds since 1970-01-01) | وقت تقديم صاحب العمل الجديد للطلب (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
      ],
    },
  },
  {
    type: 'epay.payment.fee-settled',
    topic: 'epay.payment.fee-settled',
    subject: 'epay.payment.fee-settled-value',
    owner: 'epay',
    partitionKey: 'workerCivilNumber',
    partitions: 6,
    retentionMs: 2592000000,
    compatibility: 'BACKWARD',
    workflowTrigger: false,
    description: {
      en: 'The Government e-Payment Gateway settled a government fee paid by an employer.',
      ar: 'سدّدت بوابة الدفع الإلكتروني الحكومية رسومًا حكومية دفعها صاحب عمل.',
    },
    schema: {
      type: 'record',
      name: 'PaymentFeeSettled',
      namespace: 'om.gov.rabt.epay',
      doc: 'The Government e-Payment Gateway (epay) settled a government fee paid by an employer | سدّدت بوابة الدفع الإلكتروني الحكومية رسومًا حكومية دفعها صاحب عمل',
      fields: [
        {
          name: 'paymentReference',
          type: 'string',
          doc: 'Reference of the payment at the e-payment gateway | مرجع الدفعة لدى بوابة الدفع الإلكتروني',
        },
        {
          name: 'workerCivilNumber',
          type: 'string',
          doc: 'Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام',
          'rabt.sensitive': true,
        },
        {
          name: 'payerCrNumber',
          type: 'string',
          doc: 'Commercial registration (CR) number of the employer who paid | رقم السجل التجاري لصاحب العمل الذي دفع',
        },
        {
          name: 'feeCode',
          type: 'string',
          doc: 'Code of the government fee paid (e.g. MOM-TRANSFER for a transfer of services) | رمز الرسم الحكومي المدفوع (مثل MOM-TRANSFER لنقل الخدمات)',
        },
        {
          name: 'relatedRequestId',
          type: 'string',
          doc: 'Identifier, at the agency that charged the fee, of the request the fee is for (for a transfer: the MoM requestId) | معرّف الطلب الذي دُفع عنه الرسم لدى الجهة التي فرضته (لنقل الخدمات: requestId لدى وزارة العمل)',
        },
        {
          name: 'amountBaisa',
          type: 'long',
          doc: 'Amount settled, in baisa (1 Omani rial = 1000 baisa) | المبلغ المسدَّد بالبيسة (الريال العُماني = 1000 بيسة)',
        },
        {
          name: 'currency',
          type: 'string',
          default: 'OMR',
          doc: 'ISO 4217 currency code; always OMR today | رمز العملة وفق ISO 4217؛ OMR دائمًا حاليًا',
        },
        {
          name: 'paymentMethod',
          type: {
            type: 'enum',
            name: 'PaymentMethod',
            doc: 'How the fee was paid: DEBIT_CARD (OmanNet), CREDIT_CARD, BANK_TRANSFER, OTHER. A reader that does not know a newer symbol reads OTHER | طريقة دفع الرسم: DEBIT_CARD (بطاقة الخصم عبر عُمان نت)، CREDIT_CARD (بطاقة ائتمان)، BANK_TRANSFER (تحويل مصرفي)، OTHER (غير ذلك). القارئ الذي لا يعرف رمزًا أحدث يقرؤه OTHER',
            symbols: ['DEBIT_CARD', 'CREDIT_CARD', 'BANK_TRANSFER', 'OTHER'],
            default: 'OTHER',
          },
          doc: 'How the fee was paid | طريقة دفع الرسم',
        },
        {
          name: 'settledAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When the payment was settled (UTC, milliseconds since 1970-01-01) | وقت تسوية الدفعة (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
      ],
    },
  },
  {
    type: 'rop.residence.sponsor-transferred',
    topic: 'rop.residence.sponsor-transferred',
    subject: 'rop.residence.sponsor-transferred-value',
    owner: 'rop',
    partitionKey: 'workerCivilNumber',
    partitions: 6,
    retentionMs: 2592000000,
    compatibility: 'BACKWARD',
    workflowTrigger: false,
    description: {
      en: 'Royal Oman Police moved the worker\'s residence permit to the new employer as sponsor.',
      ar: 'نقلت شرطة عُمان السلطانية كفالة تصريح إقامة العامل إلى صاحب العمل الجديد.',
    },
    schema: {
      type: 'record',
      name: 'ResidenceSponsorTransferred',
      namespace: 'om.gov.rabt.rop',
      doc: 'Royal Oman Police (ROP) moved the worker\'s residence permit to the new employer as sponsor | نقلت شرطة عُمان السلطانية كفالة تصريح إقامة العامل إلى صاحب العمل الجديد',
      fields: [
        {
          name: 'residencePermitNumber',
          type: 'string',
          doc: 'Number of the worker\'s residence permit | رقم تصريح إقامة العامل',
        },
        {
          name: 'workerCivilNumber',
          type: 'string',
          doc: 'Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام',
          'rabt.sensitive': true,
        },
        {
          name: 'previousSponsorCrNumber',
          type: 'string',
          doc: 'Commercial registration (CR) number of the previous sponsor (the current employer) | رقم السجل التجاري للكفيل السابق (صاحب العمل الحالي)',
        },
        {
          name: 'newSponsorCrNumber',
          type: 'string',
          doc: 'Commercial registration (CR) number of the new sponsor (the new employer) | رقم السجل التجاري للكفيل الجديد (صاحب العمل الجديد)',
        },
        {
          name: 'transferRequestId',
          type: 'string',
          doc: 'requestId of the MoM service-transfer request this event follows from | معرّف طلب نقل الخدمات (requestId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث',
        },
        {
          name: 'residenceValidUntil',
          type: {
            type: 'int',
            logicalType: 'date',
          },
          doc: 'Last day the residence permit is valid under the new sponsor (days since 1970-01-01) | آخر يوم يسري فيه تصريح الإقامة على كفالة الكفيل الجديد (بالأيام منذ 1970-01-01)',
        },
        {
          name: 'transferredAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When ROP recorded the new sponsor (UTC, milliseconds since 1970-01-01) | وقت تسجيل الشرطة للكفيل الجديد (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'transferringOfficer',
          type: {
            type: 'record',
            name: 'PoliceOfficer',
            doc: 'An officer of the Royal Oman Police | ضابط أو فرد في شرطة عُمان السلطانية',
            fields: [
              {
                name: 'officerId',
                type: 'string',
                doc: 'Service number of the officer | الرقم العسكري للضابط',
              },
              {
                name: 'nameEn',
                type: 'string',
                doc: 'Name of the officer in English | اسم الضابط بالإنجليزية',
                'rabt.sensitive': true,
              },
              {
                name: 'nameAr',
                type: 'string',
                doc: 'Name of the officer in Arabic | اسم الضابط بالعربية',
                'rabt.sensitive': true,
              },
              {
                name: 'rank',
                type: 'string',
                doc: 'Rank of the officer (e.g. Captain, Major) | رتبة الضابط (مثل نقيب، رائد)',
              },
            ],
          },
          doc: 'Officer who recorded the transfer | الضابط الذي سجّل النقل',
        },
      ],
    },
  },
  {
    type: 'mom.worker.service-transfer-approved',
    topic: 'mom.worker.service-transfer-approved',
    subject: 'mom.worker.service-transfer-approved-value',
    owner: 'mom',
    partitionKey: 'workerCivilNumber',
    partitions: 6,
    retentionMs: 2592000000,
    compatibility: 'BACKWARD',
    workflowTrigger: false,
    description: {
      en: 'MoM approved the transfer of the worker\'s services and issued a work permit with the new employer.',
      ar: 'وافقت وزارة العمل على نقل خدمات العامل وأصدرت تصريح عمل لدى صاحب العمل الجديد.',
    },
    schema: {
      type: 'record',
      name: 'WorkerServiceTransferApproved',
      namespace: 'om.gov.rabt.mom',
      doc: 'MoM approved the transfer of the worker\'s services and issued a work permit with the new employer; completes the worker-service-transfer transaction | وافقت وزارة العمل على نقل خدمات العامل وأصدرت له تصريح عمل لدى صاحب العمل الجديد، وبه يكتمل إجراء نقل الخدمات',
      fields: [
        {
          name: 'transferRequestId',
          type: 'string',
          doc: 'requestId of the MoM service-transfer request this event follows from | معرّف طلب نقل الخدمات (requestId) لدى وزارة العمل الذي ترتّب عليه هذا الحدث',
        },
        {
          name: 'workerCivilNumber',
          type: 'string',
          doc: 'Civil number of the worker: Omani civil number or resident card number, 8 to 9 digits | الرقم المدني للعامل: الرقم المدني العُماني أو رقم بطاقة المقيم، من 8 إلى 9 أرقام',
          'rabt.sensitive': true,
        },
        {
          name: 'previousWorkPermitNumber',
          type: 'string',
          doc: 'Number of the work permit with the previous employer, now cancelled | رقم تصريح العمل لدى صاحب العمل السابق، وقد أُلغي',
        },
        {
          name: 'newWorkPermitNumber',
          type: 'string',
          doc: 'Number of the new work permit with the new employer | رقم تصريح العمل الجديد لدى صاحب العمل الجديد',
        },
        {
          name: 'newEmployerCrNumber',
          type: 'string',
          doc: 'Commercial registration (CR) number of the new employer | رقم السجل التجاري لصاحب العمل الجديد',
        },
        {
          name: 'effectiveFrom',
          type: {
            type: 'int',
            logicalType: 'date',
          },
          doc: 'First day the worker works for the new employer (days since 1970-01-01) | أول يوم يعمل فيه العامل لدى صاحب العمل الجديد (بالأيام منذ 1970-01-01)',
        },
        {
          name: 'newPermitValidUntil',
          type: {
            type: 'int',
            logicalType: 'date',
          },
          doc: 'Last day the new work permit is valid (days since 1970-01-01) | آخر يوم يسري فيه تصريح العمل الجديد (بالأيام منذ 1970-01-01)',
        },
        {
          name: 'approvedAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When MoM approved the transfer (UTC, milliseconds since 1970-01-01) | وقت موافقة وزارة العمل على النقل (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'approvedBy',
          type: 'string',
          doc: 'Identifier of the MoM officer who approved the transfer | معرّف موظف وزارة العمل الذي وافق على النقل',
        },
      ],
    },
  },
  {
    type: 'rabt.transaction.step-completed',
    topic: 'rabt.transaction.step-completed',
    subject: 'rabt.transaction.step-completed-value',
    owner: 'ita',
    partitionKey: 'transactionId',
    partitions: 6,
    retentionMs: 7776000000,
    compatibility: 'BACKWARD',
    workflowTrigger: false,
    description: {
      en: 'Rabt recorded that one step of a cross-agency transaction completed.',
      ar: 'سجّل ربط اكتمال خطوة من خطوات معاملة مشتركة بين الجهات.',
    },
    schema: {
      type: 'record',
      name: 'TransactionStepCompleted',
      namespace: 'om.gov.rabt.rabt',
      doc: 'Rabt recorded that one step of a cross-agency transaction completed | سجّل ربط اكتمال خطوة من خطوات معاملة مشتركة بين الجهات',
      fields: [
        {
          name: 'transactionId',
          type: 'string',
          doc: 'Identifier of the cross-agency transaction (the CloudEvents transactionid extension) | معرّف المعاملة المشتركة بين الجهات (امتداد transactionid في CloudEvents)',
        },
        {
          name: 'workflow',
          type: 'string',
          doc: 'Name of the workflow (e.g. employee-left-work) | اسم سير العمل (مثل employee-left-work)',
        },
        {
          name: 'workflowVersion',
          type: 'int',
          doc: 'Version of the workflow definition the transaction runs | إصدار تعريف سير العمل الذي تجري عليه المعاملة',
        },
        {
          name: 'step',
          type: 'string',
          doc: 'Name of the completed step (e.g. register-absconding) | اسم الخطوة المكتملة (مثل register-absconding)',
        },
        {
          name: 'agency',
          type: 'string',
          doc: 'Code of the agency that completed the step (e.g. rop) | رمز الجهة التي أنجزت الخطوة (مثل rop)',
        },
        {
          name: 'occurredAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When Rabt recorded the step as completed (UTC, milliseconds since 1970-01-01) | وقت تسجيل ربط لاكتمال الخطوة (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
      ],
    },
  },
  {
    type: 'rabt.transaction.completed',
    topic: 'rabt.transaction.completed',
    subject: 'rabt.transaction.completed-value',
    owner: 'ita',
    partitionKey: 'transactionId',
    partitions: 6,
    retentionMs: 7776000000,
    compatibility: 'BACKWARD',
    workflowTrigger: false,
    description: {
      en: 'Every step of a cross-agency transaction completed.',
      ar: 'اكتملت جميع خطوات معاملة مشتركة بين الجهات.',
    },
    schema: {
      type: 'record',
      name: 'TransactionCompleted',
      namespace: 'om.gov.rabt.rabt',
      doc: 'Every step of a cross-agency transaction completed | اكتملت جميع خطوات معاملة مشتركة بين الجهات',
      fields: [
        {
          name: 'transactionId',
          type: 'string',
          doc: 'Identifier of the cross-agency transaction (the CloudEvents transactionid extension) | معرّف المعاملة المشتركة بين الجهات (امتداد transactionid في CloudEvents)',
        },
        {
          name: 'workflow',
          type: 'string',
          doc: 'Name of the workflow (e.g. employee-left-work) | اسم سير العمل (مثل employee-left-work)',
        },
        {
          name: 'workflowVersion',
          type: 'int',
          doc: 'Version of the workflow definition the transaction runs | إصدار تعريف سير العمل الذي تجري عليه المعاملة',
        },
        {
          name: 'occurredAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When Rabt recorded the completion (UTC, milliseconds since 1970-01-01) | وقت تسجيل ربط لاكتمال المعاملة (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'startedAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When the transaction started (its triggering event) (UTC, milliseconds since 1970-01-01) | وقت بدء المعاملة (حدثها المُطلِق) (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'completedAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When the last step of the transaction completed (UTC, milliseconds since 1970-01-01) | وقت اكتمال آخر خطوة في المعاملة (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'agencies',
          type: {
            type: 'array',
            items: 'string',
          },
          doc: 'Codes of the agencies that took part, in order of first participation (e.g. mom, rop, moci) | رموز الجهات المشاركة بترتيب أول مشاركة لكل منها (مثل mom وrop وmoci)',
        },
      ],
    },
  },
  {
    type: 'rabt.transaction.sla-breached',
    topic: 'rabt.transaction.sla-breached',
    subject: 'rabt.transaction.sla-breached-value',
    owner: 'ita',
    partitionKey: 'transactionId',
    partitions: 6,
    retentionMs: 7776000000,
    compatibility: 'BACKWARD',
    workflowTrigger: false,
    description: {
      en: 'A step of a cross-agency transaction was not completed within its SLA.',
      ar: 'لم تُنجَز خطوة من خطوات معاملة مشتركة بين الجهات خلال المدة المحددة في اتفاقية مستوى الخدمة.',
    },
    schema: {
      type: 'record',
      name: 'TransactionSlaBreached',
      namespace: 'om.gov.rabt.rabt',
      doc: 'A step of a cross-agency transaction was not completed within its service-level agreement (SLA) | لم تُنجَز خطوة من خطوات معاملة مشتركة بين الجهات خلال المدة المحددة في اتفاقية مستوى الخدمة',
      fields: [
        {
          name: 'transactionId',
          type: 'string',
          doc: 'Identifier of the cross-agency transaction (the CloudEvents transactionid extension) | معرّف المعاملة المشتركة بين الجهات (امتداد transactionid في CloudEvents)',
        },
        {
          name: 'workflow',
          type: 'string',
          doc: 'Name of the workflow (e.g. employee-left-work) | اسم سير العمل (مثل employee-left-work)',
        },
        {
          name: 'workflowVersion',
          type: 'int',
          doc: 'Version of the workflow definition the transaction runs | إصدار تعريف سير العمل الذي تجري عليه المعاملة',
        },
        {
          name: 'step',
          type: 'string',
          doc: 'Name of the overdue step | اسم الخطوة المتأخرة',
        },
        {
          name: 'agency',
          type: 'string',
          doc: 'Code of the agency that owes the step | رمز الجهة المسؤولة عن إنجاز الخطوة',
        },
        {
          name: 'occurredAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When Rabt detected the breach (UTC, milliseconds since 1970-01-01) | وقت رصد ربط للتأخّر (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'slaSeconds',
          type: 'int',
          doc: 'Time allowed for the step, in seconds | المدة المسموح بها لإنجاز الخطوة بالثواني',
        },
        {
          name: 'overdueSeconds',
          type: 'int',
          doc: 'How far past the SLA the step was when the breach was raised, in seconds | مقدار تجاوز الخطوة للمدة المسموح بها عند رصد التأخّر، بالثواني',
        },
      ],
    },
  },
  {
    type: 'rabt.transaction.compensated',
    topic: 'rabt.transaction.compensated',
    subject: 'rabt.transaction.compensated-value',
    owner: 'ita',
    partitionKey: 'transactionId',
    partitions: 6,
    retentionMs: 7776000000,
    compatibility: 'BACKWARD',
    workflowTrigger: false,
    description: {
      en: 'A cross-agency transaction was undone: every compensating step completed.',
      ar: 'أُلغيت معاملة مشتركة بين الجهات: اكتملت جميع خطواتها التعويضية.',
    },
    schema: {
      type: 'record',
      name: 'TransactionCompensated',
      namespace: 'om.gov.rabt.rabt',
      doc: 'A cross-agency transaction was undone: every compensating step completed (e.g. after the report was withdrawn) | أُلغيت معاملة مشتركة بين الجهات: اكتملت جميع خطواتها التعويضية (مثلًا بعد سحب البلاغ)',
      fields: [
        {
          name: 'transactionId',
          type: 'string',
          doc: 'Identifier of the cross-agency transaction (the CloudEvents transactionid extension) | معرّف المعاملة المشتركة بين الجهات (امتداد transactionid في CloudEvents)',
        },
        {
          name: 'workflow',
          type: 'string',
          doc: 'Name of the workflow (e.g. employee-left-work) | اسم سير العمل (مثل employee-left-work)',
        },
        {
          name: 'workflowVersion',
          type: 'int',
          doc: 'Version of the workflow definition the transaction runs | إصدار تعريف سير العمل الذي تجري عليه المعاملة',
        },
        {
          name: 'occurredAt',
          type: {
            type: 'long',
            logicalType: 'timestamp-millis',
          },
          doc: 'When Rabt recorded the transaction as compensated (UTC, milliseconds since 1970-01-01) | وقت تسجيل ربط لإلغاء المعاملة (بالتوقيت العالمي، بالملّي ثانية منذ 1970-01-01)',
        },
        {
          name: 'triggerType',
          type: ['null', 'string'],
          default: null,
          doc: 'CloudEvents type of the event that started the compensation (e.g. mom.employee.left-work-withdrawn), or null if an operator started it | نوع CloudEvents للحدث الذي بدأ التعويض (مثل mom.employee.left-work-withdrawn)، أو null إن بدأه مشغّل',
        },
        {
          name: 'compensatedSteps',
          type: {
            type: 'array',
            items: 'string',
          },
          default: [],
          doc: 'Names of the steps that were undone, in the order they were compensated | أسماء الخطوات التي أُلغيت بترتيب تنفيذ التعويض',
        },
      ],
    },
  },
] as const satisfies readonly CatalogueEntry[];
