export * from './errors.ts';
export * from './model.ts';
export * from './frames.ts';
export * from './rest.ts';
export * from './routing.ts';
export * from './channels.ts';
export * from './webhooks.ts';
export * from './reports.ts';
