export * from './attachments';
export * from './errors';
export * from './public-config';
export * from './routes';
export * from './session';
export * from './sharing';
export * from './sign-in-errors';
