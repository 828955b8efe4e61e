export * from './domain.exception';
export * from './problem-details';
export * from './problem-details.filter';
export * from './service.bootstrap';
export * from './unreachable.dependency';
export * from './dependency-patches';
export * from './endpoint-access';
