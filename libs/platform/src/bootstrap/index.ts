export { type ConfigureAppOptions, PLATFORM_APP_OPTIONS, configureApp } from './bootstrap';
export { PlatformModule } from './platform.module';
export { runService } from './service-main';
