/**
 * The registry's errors, in Confluent Schema Registry's own codes and wording, so that
 * Confluent clients (which switch on error_code) behave against Rabt as against Confluent.
 */
export enum RegistryErrorCode {
  UNAUTHORIZED = 401,
  FORBIDDEN = 40301,
  SUBJECT_NOT_FOUND = 40401,
  VERSION_NOT_FOUND = 40402,
  SCHEMA_NOT_FOUND = 40403,
  SUBJECT_SOFT_DELETED = 40404,
  SUBJECT_NOT_SOFT_DELETED = 40405,
  VERSION_SOFT_DELETED = 40406,
  VERSION_NOT_SOFT_DELETED = 40407,
  SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408,
  SUBJECT_MODE_NOT_CONFIGURED = 40409,
  INCOMPATIBLE_SCHEMA = 409,
  BAD_REQUEST = 400,
  INVALID_SCHEMA = 42201,
  INVALID_VERSION = 42202,
  INVALID_COMPATIBILITY_LEVEL = 42203,
  INVALID_MODE = 42204,
  OPERATION_NOT_PERMITTED = 42205,
  REFERENCE_EXISTS = 42206,
  INVALID_SUBJECT = 42208,
  STORE_ERROR = 50001,
}

export class RegistryException extends Error {
  constructor(
    readonly errorCode: RegistryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryException';
  }

  /** HTTP status: the first three digits of the Confluent code (40401 -> 404, 409 -> 409). */
  get httpStatus(): number {
    const code = String(this.errorCode);
    return Number(code.length > 3 ? code.slice(0, 3) : code);
  }
}

export const RegistryErrors = {
  unauthorized: () => new RegistryException(RegistryErrorCode.UNAUTHORIZED, 'Unauthorized'),
  forbidden: (operation: string, resource: string) =>
    new RegistryException(RegistryErrorCode.FORBIDDEN, `User is denied operation ${operation} on ${resource}`),
  subjectNotFound: (subject: string) => new RegistryException(RegistryErrorCode.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`),
  versionNotFound: (version: number | string) => new RegistryException(RegistryErrorCode.VERSION_NOT_FOUND, `Version ${version} not found.`),
  schemaNotFound: (id?: number) => new RegistryException(RegistryErrorCode.SCHEMA_NOT_FOUND, id === undefined ? 'Schema not found' : `Schema ${id} not found`),
  subjectSoftDeleted: (subject: string) =>
    new RegistryException(RegistryErrorCode.SUBJECT_SOFT_DELETED, `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`),
  subjectNotSoftDeleted: (subject: string) =>
    new RegistryException(RegistryErrorCode.SUBJECT_NOT_SOFT_DELETED, `Subject '${subject}' was not deleted first before being permanently deleted`),
  versionSoftDeleted: (subject: string, version: number) =>
    new RegistryException(
      RegistryErrorCode.VERSION_SOFT_DELETED,
      `Subject '${subject}' Version ${version} was soft deleted. Set permanent=true to delete permanently`,
    ),
  versionNotSoftDeleted: (subject: string, version: number) =>
    new RegistryException(
      RegistryErrorCode.VERSION_NOT_SOFT_DELETED,
      `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`,
    ),
  compatibilityNotConfigured: (subject: string) =>
    new RegistryException(RegistryErrorCode.SUBJECT_COMPATIBILITY_NOT_CONFIGURED, `Subject '${subject}' does not have subject-level compatibility configured`),
  modeNotConfigured: (subject: string) =>
    new RegistryException(RegistryErrorCode.SUBJECT_MODE_NOT_CONFIGURED, `Subject '${subject}' does not have subject-level mode configured`),
  incompatible: (subject: string, messages: readonly string[]) =>
    new RegistryException(
      RegistryErrorCode.INCOMPATIBLE_SCHEMA,
      `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${messages.join(', ')}]`,
    ),
  badRequest: (message: string) => new RegistryException(RegistryErrorCode.BAD_REQUEST, message),
  invalidSchema: (message: string) => new RegistryException(RegistryErrorCode.INVALID_SCHEMA, message),
  invalidVersion: (version: string) =>
    new RegistryException(
      RegistryErrorCode.INVALID_VERSION,
      `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    ),
  invalidCompatibility: (level: unknown) =>
    new RegistryException(
      RegistryErrorCode.INVALID_COMPATIBILITY_LEVEL,
      `Invalid compatibility level${typeof level === 'string' ? ` '${level}'` : ''}. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive`,
    ),
  invalidMode: (mode: unknown) =>
    new RegistryException(RegistryErrorCode.INVALID_MODE, `Invalid mode${typeof mode === 'string' ? ` '${mode}'` : ''}. Valid values are READWRITE, READONLY, IMPORT`),
  notPermitted: (message: string) => new RegistryException(RegistryErrorCode.OPERATION_NOT_PERMITTED, message),
  referenceExists: (subject: string, version: number) =>
    new RegistryException(RegistryErrorCode.REFERENCE_EXISTS, `One or more references exist to the schema {subject=${subject},version=${version}}.`),
  invalidSubject: () => new RegistryException(RegistryErrorCode.INVALID_SUBJECT, 'The specified subject is not valid.'),
} as const;
