export * from './storage';
export * from './nag';
