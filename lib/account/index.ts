export * from './api-gateway-account-logging';
