export * from './metrics.service';
export * from './observability.module';
export * from './readiness.indicator';
export * from './trace-context';
