// @rabt/contracts/codegen: Node-only tooling behind `rabt contracts generate` and `rabt schemas check`.
// Kept apart from @rabt/contracts so that the contracts themselves stay browser-safe.
export { AvroTypeScriptEmitter, AvroTypeScriptException } from './avro-typescript';
export { CATALOGUE_GENERATED_FILE, generateCatalogueSource, renderCatalogueSource } from './catalogue.codegen';
export {
  CATALOGUE_FILE,
  CatalogueException,
  DEFAULT_COMPATIBILITY,
  loadCatalogue,
  type LoadedCatalogue,
  type LoadedCatalogueEntry,
} from './catalogue.loader';
export { catalogueRuleProblems, isAvroString, pascalCase, topLevelFields } from './catalogue.rules';
