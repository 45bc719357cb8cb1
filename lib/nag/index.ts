export * from './ai-security-checks';
