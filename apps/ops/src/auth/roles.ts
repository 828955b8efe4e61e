import type { OperatorRole } from '@rabt/ops-contracts';

/** viewer < operator < admin. */
const RANK: Readonly<Record<OperatorRole, number>> = { viewer: 0, operator: 1, admin: 2 };

export const hasRole = (actual: OperatorRole, required: OperatorRole): boolean => RANK[actual] >= RANK[required];

/** The signed-in account, as requests carry it. */
export interface OperatorPrincipal {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: OperatorRole;
  /** An agency integrator's agency; null for Rabt operators (who see everything). */
  readonly agency: string | null;
}

/** The audit actor of an operator. */
export const actorOf = (p: Pick<OperatorPrincipal, 'username'>): string => `operator:${p.username}`;

/**
 * Whether `p` may replay or discard a delivery to `subscriber`: an agency account may see the dead
 * letters of events its agency published, but acts only on its own agency's deliveries — one
 * agency never replays into, or discards from, another's endpoint.
 */
export const canActOn = (p: Pick<OperatorPrincipal, 'agency'>, subscriber: string): boolean => p.agency === null || p.agency === subscriber;

/** Whether `p` may see an object that concerns `agencies` (subscriber, publisher, parties). */
export const canSee = (p: Pick<OperatorPrincipal, 'agency'>, agencies: readonly (string | null | undefined)[]): boolean => p.agency === null || agencies.includes(p.agency);
