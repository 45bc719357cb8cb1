export * from './ai-security-checks';
export * from './ai-security-checks-v2';
