export * from './storage';
export * from './containers';
export * from './monitoring';
