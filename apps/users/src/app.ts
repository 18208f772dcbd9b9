import { mount, type HttpApp } from '@platform/http';
import { createServiceApp, type ServiceResources } from '@platform/runtime';
import type { UsersConfig } from './config.js';
import { profileRoutes } from './routes/profile.routes.js';
import { ProfilesService } from './services/profiles.service.js';

export interface UsersDeps extends ServiceResources {
  config: UsersConfig;
}

/** The users service: profiles and the caller's data. Never listens itself. */
export function createApp(deps: UsersDeps): HttpApp {
  const app = createServiceApp(deps, deps.config);
  const profiles = new ProfilesService(deps.orm.em, deps.events, {
    publicWebUrl: deps.config.PUBLIC_WEB_URL,
    verificationTtlSeconds: deps.config.EMAIL_VERIFICATION_TTL_SECONDS,
    revertTtlSeconds: deps.config.EMAIL_CHANGE_REVERT_TTL_SECONDS,
    stepUpMaxAgeSeconds: deps.config.STEP_UP_MAX_AGE_SECONDS,
  });
  mount(app, profileRoutes({ profiles }));
  return app;
}
