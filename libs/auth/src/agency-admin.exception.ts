import { DomainException, type ProblemMapping } from '@rabt/runtime';

/** Why a change to the agency registry (agencies, keys, certificates, grants) was refused. Closed set. */
export enum AgencyAdminExceptionCode {
  INVALID_AGENCY = 'INVALID_AGENCY',
  AGENCY_EXISTS = 'AGENCY_EXISTS',
  AGENCY_NOT_FOUND = 'AGENCY_NOT_FOUND',
  INVALID_KEY = 'INVALID_KEY',
  KEY_NOT_FOUND = 'KEY_NOT_FOUND',
  INVALID_GRANT = 'INVALID_GRANT',
  UNKNOWN_EVENT_TYPE = 'UNKNOWN_EVENT_TYPE',
  GRANT_NOT_FOUND = 'GRANT_NOT_FOUND',
  INVALID_CERTIFICATE = 'INVALID_CERTIFICATE',
  CERTIFICATE_NOT_FOUND = 'CERTIFICATE_NOT_FOUND',
  CA_UNAVAILABLE = 'CA_UNAVAILABLE',
  KAFKA_PROVISIONING_UNAVAILABLE = 'KAFKA_PROVISIONING_UNAVAILABLE',
}

/** Thrown by the registry functions of agency-admin.ts; `details.errors` lists each bad field. */
export class AgencyAdminException extends DomainException<AgencyAdminExceptionCode> {}

/** code -> HTTP meaning, for services that expose the registry (the gateway's admin API). */
export const AGENCY_ADMIN_PROBLEMS: ProblemMapping<AgencyAdminExceptionCode> = {
  [AgencyAdminExceptionCode.INVALID_AGENCY]: { status: 400, title: 'The agency is not valid' },
  [AgencyAdminExceptionCode.AGENCY_EXISTS]: { status: 409, title: 'An agency with this code already exists' },
  [AgencyAdminExceptionCode.AGENCY_NOT_FOUND]: { status: 404, title: 'No such agency' },
  [AgencyAdminExceptionCode.INVALID_KEY]: { status: 400, title: 'The API key request is not valid' },
  [AgencyAdminExceptionCode.KEY_NOT_FOUND]: { status: 404, title: 'No such API key' },
  [AgencyAdminExceptionCode.INVALID_GRANT]: { status: 400, title: 'The grant is not valid' },
  // Same meaning and status as the gateway's publish code of the same name.
  [AgencyAdminExceptionCode.UNKNOWN_EVENT_TYPE]: { status: 404, title: 'No such event type in the catalogue' },
  [AgencyAdminExceptionCode.GRANT_NOT_FOUND]: { status: 404, title: 'No such grant' },
  [AgencyAdminExceptionCode.INVALID_CERTIFICATE]: { status: 400, title: 'The certificate request is not valid' },
  [AgencyAdminExceptionCode.CERTIFICATE_NOT_FOUND]: { status: 404, title: 'No such agency certificate' },
  [AgencyAdminExceptionCode.CA_UNAVAILABLE]: { status: 503, title: "Rabt's certificate authority is not available to this service", retryAfterSeconds: 60 },
  [AgencyAdminExceptionCode.KAFKA_PROVISIONING_UNAVAILABLE]: { status: 503, title: "The agency certificate's Kafka access could not be granted or revoked; nothing was changed", retryAfterSeconds: 60 },
};

export const agencyAdminError = (code: AgencyAdminExceptionCode, message: string, details?: Record<string, unknown>) => new AgencyAdminException(code, message, details);
