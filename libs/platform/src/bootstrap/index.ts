export {
  type BootstrapServiceOptions,
  type ConfigureAppOptions,
  PLATFORM_APP_OPTIONS,
  bootstrapService,
  configureApp,
} from './bootstrap';
export { PlatformModule, type PlatformModuleOptions } from './platform.module';
export { migrateService, runService, serviceBootOptions, type ServiceMainOptions } from './service-main';
