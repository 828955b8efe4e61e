// @rabt/sdk/node: everything in @rabt/sdk, plus what needs Node: the registry-backed Avro schema
// source for pull-mode inbox consumers (avsc's Node build and Buffer), and the mutual TLS check of
// Rabt's dispatcher for webhook receivers (node:crypto, node:tls).
export * from './index';
export { RegistrySchemaSource, SchemaRegistryError, avroDecoder, type RegistrySchemaSourceOptions } from './inbox/registry-schema.source';
export { rabtClientTlsOptions, verifyRabtClient } from './webhooks/rabt-client';
