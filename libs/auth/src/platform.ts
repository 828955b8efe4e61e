import type { Principal } from './agency-keys.service';

/**
 * The agency that operates Rabt (docs/agencies.md). Its keys with a role act for the platform;
 * its admin keys alone act for other agencies, in the gateway and the schema registry alike.
 */
export const PLATFORM_AGENCY = 'ita';

/** An admin key of the operator: the one kind of key that may act for every agency. */
export const isPlatformAdmin = (principal: Principal): boolean => principal.agency === PLATFORM_AGENCY && principal.roles.includes('admin');
