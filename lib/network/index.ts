export * from './segmented-ai-vpc';
