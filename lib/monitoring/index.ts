export * from './ai-security-monitoring';
