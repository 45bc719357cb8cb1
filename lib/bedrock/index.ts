export * from './bedrock-model';
export * from './guarded-bedrock-access';
export * from './guardrail-policy';
export * from './invocation-logging';
