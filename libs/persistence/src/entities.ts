import { AgencyEntity } from './agency/agency.entity';

/** Every entity the shared schema maps. */
export const ENTITIES = [AgencyEntity];
