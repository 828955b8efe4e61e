import { CreateAgency1764480000000 } from './1764480000000-create-agency';

/** Every migration, oldest first. A new migration is added here and nowhere else. */
export const MIGRATIONS = [CreateAgency1764480000000];
