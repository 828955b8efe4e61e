export * from './agency-keys.service';
export * from './api-key';
export * from './auth.config';
export * from './auth.module';
export * from './grants.service';
