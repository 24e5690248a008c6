/**
 * Tenancy owns apps (tenants), their secrets and server-API keys. Every other table
 * carries an app id and every query is scoped by it; nothing crosses apps.
 */
export { createTenancyService, type TenancyService, type AppWithSecrets } from './tenancy.service.ts';
export { registerTenancyRoutes } from './tenancy.routes.ts';
