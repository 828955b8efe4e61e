import { CatalogueException, loadCatalogue, type LoadedCatalogue } from '@rabt/contracts/codegen';
import { CliException, CliExceptionCode } from './cli.exception';

/** The catalogue of `schemasDir`; an unusable one is a user error that lists every problem. */
export function loadCatalogueForCli(schemasDir: string): LoadedCatalogue {
  try {
    return loadCatalogue(schemasDir);
  } catch (e) {
    if (e instanceof CatalogueException) throw new CliException(CliExceptionCode.CATALOGUE_INVALID, e.message);
    throw e;
  }
}
