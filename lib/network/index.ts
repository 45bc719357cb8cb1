export * from './segmented-ai-vpc-props';
export * from './segmented-ai-vpc';
