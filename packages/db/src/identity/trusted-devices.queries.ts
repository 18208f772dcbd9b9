import type { EntityManager } from '@mikro-orm/postgresql';
import { TrustedDevice } from '../entities/trusted-device.entity.js';

/** The identity queries on `trusted_devices` that more than auth needs. */
export const trustedDevices = {
  /**
   * Marks every trusted device of a user for removal in `em`'s unit of work, so they go with the
   * caller's flush or transaction, or not at all; returns how many. Whatever proved or took away
   * ownership of the account (a password reset, a suspension) must not leave a device it trusted
   * before with a sign-in budget of its own.
   */
  async forgetAllFor(em: EntityManager, userId: string): Promise<number> {
    const devices = await em.find(TrustedDevice, { user: userId });
    for (const device of devices) em.remove(device);
    return devices.length;
  },
};
