// @rabt/sdk/node: everything in @rabt/sdk, plus what needs Node: the registry-backed Avro schema
// source for pull-mode inbox consumers (avsc's Node build and Buffer).
export * from './index';
export { RegistrySchemaSource, SchemaRegistryError, avroDecoder, type RegistrySchemaSourceOptions } from './inbox/registry-schema.source';
