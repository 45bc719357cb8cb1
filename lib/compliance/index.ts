export * from './control-tower-guard-validator';
