import { describe, expect, it } from 'vitest';
import { agencyAcls, agencyPrincipal, describeAcl, serviceAcls, servicePrincipal, type AclEntry, type AclInventory } from './service-acls';

const inventory: AclInventory = {
  catalogueTopics: ['mom.employee.left-work-reported', 'rop.residence.absconding-registered', 'epay.payment.fee-settled', 'rabt.transaction.completed'],
  workflowConsumes: ['mom.employee.left-work-reported', 'rop.residence.absconding-registered', 'rabt.transaction.completed'],
};
const acls = serviceAcls(inventory);
const of = (service: Parameters<typeof servicePrincipal>[0]) => acls.filter((a) => a.principal === servicePrincipal(service));
const allows = (entries: readonly AclEntry[], op: AclEntry['operation'], topic: string) =>
  entries.some((a) => a.resource === 'TOPIC' && a.operation === op && (a.pattern === 'LITERAL' ? a.name === topic : topic.startsWith(a.name)));

describe('service ACLs', () => {
  it('only the router writes inboxes; only the dispatcher reads them', () => {
    for (const principal of new Set(acls.map((a) => a.principal))) {
      const entries = acls.filter((a) => a.principal === principal);
      expect(allows(entries, 'WRITE', 'rabt.inbox.rop'), principal).toBe(principal === 'User:service.router');
      expect(allows(entries, 'READ', 'rabt.inbox.rop'), principal).toBe(principal === 'User:service.dispatcher');
    }
  });

  it('the gateway writes every catalogue topic and reads none', () => {
    for (const t of inventory.catalogueTopics) {
      expect(allows(of('gateway'), 'WRITE', t)).toBe(true);
      expect(allows(of('gateway'), 'READ', t)).toBe(false);
    }
    expect(of('gateway').some((a) => a.resource !== 'TOPIC')).toBe(false);
  });

  it('the workflow reads what its definitions await (not its own emissions) and writes only rabt.transaction.*', () => {
    expect(allows(of('workflow'), 'READ', 'mom.employee.left-work-reported')).toBe(true);
    expect(allows(of('workflow'), 'READ', 'epay.payment.fee-settled')).toBe(false);
    expect(allows(of('workflow'), 'READ', 'rabt.transaction.completed')).toBe(false);
    expect(allows(of('workflow'), 'WRITE', 'rabt.transaction.completed')).toBe(true);
    expect(allows(of('workflow'), 'WRITE', 'mom.employee.left-work-reported')).toBe(false);
  });

  it('only ops and the CLI touch the audit anchors', () => {
    const writers = [...new Set(acls.filter((a) => allows([a], 'WRITE', 'rabt.audit.anchors')).map((a) => a.principal))].sort();
    expect(writers).toEqual(['User:service.cli', 'User:service.ops']);
  });

  it('the schema registry and the agency simulator get nothing', () => {
    expect(of('schema-registry')).toEqual([]);
    expect(of('agency-simulator')).toEqual([]);
  });

  it('no service may alter the cluster or touch ACLs', () => {
    expect(acls.filter((a) => a.resource === 'CLUSTER' || a.operation === 'ALTER' || a.operation === 'DELETE')).toEqual([]);
  });
});

describe('agency ACLs', () => {
  it('read its own inbox in groups under its own prefix; nothing else', () => {
    const principal = agencyPrincipal('rop', '0a1b');
    expect(agencyAcls('rop', principal).map(describeAcl)).toEqual([
      'User:agency.rop.0a1b READ TOPIC:LITERAL:rabt.inbox.rop',
      'User:agency.rop.0a1b DESCRIBE TOPIC:LITERAL:rabt.inbox.rop',
      'User:agency.rop.0a1b READ GROUP:PREFIXED:rabt.agency.rop.',
    ]);
  });

  it("refuse another agency's principal, a malformed code, and a service principal", () => {
    expect(() => agencyAcls('rop', agencyPrincipal('mom', '0a1b'))).toThrow(/not a certificate principal/);
    expect(() => agencyAcls('ROP', agencyPrincipal('rop', '0a1b'))).toThrow(/not an agency code/);
    expect(() => agencyAcls('rop', 'User:service.router')).toThrow(/not a certificate principal/);
    expect(() => agencyAcls('rop', 'User:agency.rop.XYZ')).toThrow(/not a certificate principal/);
  });
});
