export * from './storage';
export * from './inference';
