export * from './network';
export * from './storage';
