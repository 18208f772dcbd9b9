import { mount, type HttpApp } from '@platform/http';
import { UsersService } from '@platform/proto';
import { createServiceApp, type GrpcRoutes, type ServiceResources } from '@platform/runtime';
import type { UsersConfig } from './config.js';
import { usersGrpcRoutes } from './grpc/users.grpc.js';
import { profileRoutes } from './routes/profile.routes.js';
import { ProfilesService } from './services/profiles.service.js';
import { UserDirectoryService } from './services/user-directory.service.js';

export interface UsersDeps extends ServiceResources {
  config: UsersConfig;
}

/** The users service: profiles and the caller's data. Never listens itself. */
export function createApp(deps: UsersDeps): HttpApp {
  const app = createServiceApp(deps, deps.config);
  mount(app, profileRoutes({ profiles: profilesOf(deps) }));
  return app;
}

function profilesOf(deps: UsersDeps): ProfilesService {
  return new ProfilesService(deps.orm.em, deps.events, {
    publicWebUrl: deps.config.PUBLIC_WEB_URL,
    verificationTtlSeconds: deps.config.EMAIL_VERIFICATION_TTL_SECONDS,
    revertTtlSeconds: deps.config.EMAIL_CHANGE_REVERT_TTL_SECONDS,
    stepUpMaxAgeSeconds: deps.config.STEP_UP_MAX_AGE_SECONDS,
  });
}

/** What users serves over gRPC to the other services (UsersService). Never listens itself. */
export function createGrpcRoutes(deps: UsersDeps): GrpcRoutes {
  return {
    services: [UsersService.typeName],
    // realtime reads member names and account standing with its own identity (docs/architecture.md §10).
    serviceAccess: { realtime: ['GetUsers'] },
    register: usersGrpcRoutes({
      directory: new UserDirectoryService(deps.orm.em),
      profiles: profilesOf(deps),
    }),
  };
}
