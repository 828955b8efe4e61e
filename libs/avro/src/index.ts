export {
  InvalidAvroSchemaError,
  canonicalSchema,
  normalizeSchemaText,
  parseAvroSchema,
  type ParsedAvroSchema,
} from './avro-schema';
export {
  readerCanRead,
  type Incompatibility,
  type IncompatibilityType,
  type SchemaRoleLabels,
} from './avro-compatibility';
export {
  COMPATIBILITY_LEVELS,
  checkCompatibility,
  formatIncompatibility,
  isCompatibilityLevel,
  type CompatibilityLevel,
  type CompatibilityResult,
  type PreviousSchema,
} from './compatibility-level';
export { AVSC_PATCH, avscPatchApplied } from './avsc.patch';
