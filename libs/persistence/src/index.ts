export * from './agency/agency.entity';
export * from './data-source.factory';
export * from './database.admin';
export * from './entities';
export * from './migration.runner';
export * from './migrations';
export * from './persistence.module';
