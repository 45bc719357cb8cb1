export * from './nacl';
export * from './template';
export * from './network';
export * from './evaluator';
export * from './table';
export * from './requests';
export * from './encryption-context';
export * from './deliveries';
