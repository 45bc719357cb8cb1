export * from './least-privilege-sagemaker-role';
