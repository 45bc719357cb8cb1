export * from './storage';
export * from './identity';
