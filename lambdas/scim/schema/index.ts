export * from './types';
export * from './urns';
export * from './common';
export * from './user';
export * from './enterpriseUser';
export * from './group';
export * from './registry';
export * from './resolveSchemaKey';
