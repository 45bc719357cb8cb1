export * from './ai-security-monitoring';
export * from './regional-alert-forwarder';
export * from './access-analysis';
export * from './sensitive-data-discovery';
export * from './model-data-quality-monitor';
export * from './model-monitor-props';
export * from './model-quality-monitor';
export * from './model-quality-monitor-props';
