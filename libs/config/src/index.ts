export * from './config.fragments';
export * from './config.loader';
export * from './config.module';
export * from './duration';
