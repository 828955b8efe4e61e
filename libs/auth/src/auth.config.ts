import { z } from 'zod';
import { configTypes, fragment, type UnsafeSetting } from '@rabt/config';

export const DEVELOPMENT_PEPPER = 'rabt-local-development-pepper-not-for-production';

/** The pepper version of RABT_API_KEY_PEPPER, and of every key hashed before versions existed. */
export const LEGACY_PEPPER_VERSION = 1;

/** A pepper and the version stored with every key hash made under it. */
export interface ApiKeyPepper {
  readonly version: number;
  readonly pepper: string;
}

/** The most API keys may live, in days, unless RABT_API_KEY_MAX_TTL_DAYS says otherwise (as TLS certificates). */
export const DEFAULT_API_KEY_MAX_TTL_DAYS = 397;

export abstract class AuthConfig {
  /** The pepper new keys are hashed under (RABT_API_KEY_PEPPER_PRIMARY, else the highest version). */
  abstract readonly apiKeyPepper: ApiKeyPepper;
  /** Every configured pepper by version; a key whose version is missing here does not authenticate. */
  abstract readonly apiKeyPeppers: ReadonlyMap<number, string>;
  /** True while any pepper is the built-in development value (development mode only). */
  abstract readonly developmentPepper: boolean;
  /** The longest lifetime a key may be issued with, in days (RABT_API_KEY_MAX_TTL_DAYS). */
  abstract readonly apiKeyMaxTtlDays: number;
}

const MIN_PEPPER = 32;

/** `<version>:<pepper>,…` (RABT_API_KEY_PEPPERS); RangeError naming the entry by position and version, never the pepper. */
export function decodePepperList(text: string): ApiKeyPepper[] {
  const peppers: ApiKeyPepper[] = [];
  text.split(',').forEach((item, i) => {
    const m = /^\s*(\d{1,6}):(.*)$/s.exec(item);
    const version = m ? Number(m[1]) : 0;
    if (!m || version < 1) throw new RangeError(`entry ${i + 1} must be <version>:<pepper>, the version a whole number from 1`);
    if (peppers.some((p) => p.version === version)) throw new RangeError(`pepper version ${version} is listed twice`);
    const pepper = m[2]!.trim();
    if (pepper.length < MIN_PEPPER) throw new RangeError(`pepper version ${version} must be at least ${MIN_PEPPER} characters`);
    peppers.push({ version, pepper });
  });
  return peppers;
}

interface PepperEnv {
  readonly RABT_API_KEY_PEPPER?: string | undefined;
  readonly RABT_API_KEY_PEPPERS?: string | undefined;
  readonly RABT_API_KEY_PEPPER_PRIMARY?: number | undefined;
}

function peppersOf(e: PepperEnv): { variable: string; peppers: ApiKeyPepper[] } {
  if (e.RABT_API_KEY_PEPPERS !== undefined) return { variable: 'RABT_API_KEY_PEPPERS', peppers: decodePepperList(e.RABT_API_KEY_PEPPERS) };
  return { variable: 'RABT_API_KEY_PEPPER', peppers: [{ version: LEGACY_PEPPER_VERSION, pepper: e.RABT_API_KEY_PEPPER ?? DEVELOPMENT_PEPPER }] };
}

const pepperList = configTypes.checkedBy(decodePepperList);

const ADVICE = `set a secret of at least ${MIN_PEPPER} characters`;

/**
 * The API-key peppers:
 * - RABT_API_KEY_PEPPERS: `<version>:<pepper>,…` (versions whole numbers, peppers without commas);
 * - RABT_API_KEY_PEPPER: one pepper, version 1; not with RABT_API_KEY_PEPPERS;
 * - RABT_API_KEY_PEPPER_PRIMARY: the version new keys are hashed under; the highest when unset.
 *   Naming it lets a rotation give every instance the new pepper before any key is hashed under it.
 * - RABT_API_KEY_MAX_TTL_DAYS: the longest expiry a key may be issued with (default 397).
 */
export const authFragment = () =>
  fragment({
    token: AuthConfig,
    env: {
      RABT_API_KEY_PEPPER: z.string().min(MIN_PEPPER, { message: `must be at least ${MIN_PEPPER} characters` }).optional(),
      RABT_API_KEY_PEPPERS: pepperList,
      RABT_API_KEY_PEPPER_PRIMARY: z.coerce.number({ message: 'must be a pepper version' }).int({ message: 'must be a whole number' }).positive({ message: 'must be greater than 0' }).optional(),
      RABT_API_KEY_MAX_TTL_DAYS: z.coerce
        .number({ message: 'must be a number of days' })
        .int({ message: 'must be a whole number' })
        .positive({ message: 'must be greater than 0' })
        .max(3650, { message: 'must be at most 3650' })
        .default(DEFAULT_API_KEY_MAX_TTL_DAYS),
    },
    secrets: ['RABT_API_KEY_PEPPER', 'RABT_API_KEY_PEPPERS'],
    conflicts: (e) => {
      const problems: UnsafeSetting[] = [];
      if (e.RABT_API_KEY_PEPPER !== undefined && e.RABT_API_KEY_PEPPERS !== undefined) {
        problems.push({ variable: 'RABT_API_KEY_PEPPER', problem: `is set together with RABT_API_KEY_PEPPERS; list it there (as ${LEGACY_PEPPER_VERSION}:<pepper>) and unset it` });
      }
      const versions = peppersOf(e).peppers.map((p) => p.version);
      if (e.RABT_API_KEY_PEPPER_PRIMARY !== undefined && !versions.includes(e.RABT_API_KEY_PEPPER_PRIMARY)) {
        problems.push({ variable: 'RABT_API_KEY_PEPPER_PRIMARY', problem: `names pepper version ${e.RABT_API_KEY_PEPPER_PRIMARY}, which is not configured (${versions.join(', ')})` });
      }
      return problems;
    },
    unsafe: (e, { given }) => {
      if (!given.has('RABT_API_KEY_PEPPER') && !given.has('RABT_API_KEY_PEPPERS')) {
        return [{ variable: 'RABT_API_KEY_PEPPER', problem: `is not set, and the built-in development pepper is public; ${ADVICE} (or versioned peppers as RABT_API_KEY_PEPPERS)` }];
      }
      const { variable, peppers } = peppersOf(e);
      return peppers
        .filter((p) => p.pepper === DEVELOPMENT_PEPPER)
        .map((p) => ({ variable, problem: `${variable === 'RABT_API_KEY_PEPPERS' ? `version ${p.version} ` : ''}is the built-in development pepper, which is public; ${ADVICE}` }));
    },
    map: (e): AuthConfig => {
      const { peppers } = peppersOf(e);
      const primary = e.RABT_API_KEY_PEPPER_PRIMARY ?? Math.max(...peppers.map((p) => p.version));
      return {
        apiKeyPepper: peppers.find((p) => p.version === primary)!,
        apiKeyPeppers: new Map(peppers.map((p) => [p.version, p.pepper])),
        developmentPepper: peppers.some((p) => p.pepper === DEVELOPMENT_PEPPER),
        apiKeyMaxTtlDays: e.RABT_API_KEY_MAX_TTL_DAYS,
      };
    },
  });
