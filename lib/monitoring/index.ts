export * from './ai-security-monitoring';
export * from './regional-alert-forwarder';
export * from './access-analysis';
export * from './sensitive-data-discovery';
