import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

/** Metadata key of {@link Public}; the auth guard lets routes carrying it through without a token. */
export const PUBLIC_ROUTE = 'podium:public';

/** OpenAPI extension that setupOpenApi turns into `security: []` (no bearer token needed). */
export const PUBLIC_ROUTE_EXTENSION = 'x-podium-public';

/** Marks a route or a whole controller as public: no authentication, and no security requirement in OpenAPI. */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension(PUBLIC_ROUTE_EXTENSION, true));
