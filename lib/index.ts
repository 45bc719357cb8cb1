export * from './network';
export * from './storage';
export * from './identity';
export * from './containers';
export * from './monitoring';
export * from './inference';
