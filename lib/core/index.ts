export * from './errors';
export * from './validation';
export * from './units';
export * from './naming';
export * from './labels';
export * from './context';
export * from './terraform-strings';
