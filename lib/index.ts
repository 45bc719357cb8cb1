export * from './storage';
export * from './identity';
export * from './network';
export * from './inference';
export * from './containers';
export * from './monitoring';
export * from './nag';
export * from './compliance';
export { SecureAiValidationError } from './private/errors';
