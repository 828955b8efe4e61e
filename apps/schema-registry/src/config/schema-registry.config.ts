import { authFragment } from '@rabt/auth';
import { databaseFragment, httpFragment, loadConfig, loggingFragment } from '@rabt/config';

export const SCHEMA_REGISTRY_SERVICE = 'schema-registry';

/** Everything the schema registry reads from its environment, validated once at start. */
export const schemaRegistryConfigFragments = () => ({
  http: httpFragment('SCHEMA_REGISTRY_PORT', 8081),
  logging: loggingFragment(SCHEMA_REGISTRY_SERVICE),
  database: databaseFragment(),
  auth: authFragment(),
});

export const loadSchemaRegistryConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(SCHEMA_REGISTRY_SERVICE, schemaRegistryConfigFragments(), env);
export type SchemaRegistryConfig = ReturnType<typeof loadSchemaRegistryConfig>;
