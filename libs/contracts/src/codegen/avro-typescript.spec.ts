import { describe, expect, it } from 'vitest';
import { AvroTypeScriptEmitter, AvroTypeScriptException, jsDoc } from './avro-typescript';

const record = (name: string, fields: unknown[], extra: Record<string, unknown> = {}) => ({ type: 'record', name, namespace: 'om.gov.rabt.moh', fields, ...extra });

function emit(...schemas: [string, unknown][]): string {
  const emitter = new AvroTypeScriptEmitter();
  for (const [type, schema] of schemas) emitter.addEvent(type, schema);
  return emitter.render();
}

describe('Avro to TypeScript', () => {
  it('maps primitives, nullable unions, arrays, maps and logical types', () => {
    const ts = emit([
      'moh.patient.admitted',
      record('PatientAdmitted', [
        { name: 'id', type: 'string' },
        { name: 'beds', type: 'int' },
        { name: 'cost', type: 'double' },
        { name: 'insured', type: 'boolean' },
        { name: 'photo', type: 'bytes' },
        { name: 'ward', type: ['null', 'string'], default: null },
        { name: 'notes', type: { type: 'array', items: ['null', 'string'] } },
        { name: 'labels', type: { type: 'map', values: 'long' } },
        { name: 'admittedOn', type: { type: 'int', logicalType: 'date' } },
        { name: 'admittedAt', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }], default: null },
      ]),
    ]);
    expect(ts).toContain('export interface MohPatientAdmittedData {');
    expect(ts).toContain('  id: string;');
    expect(ts).toContain('  beds: number;');
    expect(ts).toContain('  cost: number;');
    expect(ts).toContain('  insured: boolean;');
    expect(ts).toContain('  photo: Uint8Array;');
    expect(ts).toContain('  ward: string | null;');
    expect(ts).toContain('  notes: (string | null)[];');
    expect(ts).toContain('  labels: Record<string, number>;');
    expect(ts).toContain('  /** Avro `date`: days since 1970-01-01 (an int, never an ISO string). */\n  admittedOn: number;');
    expect(ts).toMatch(/milliseconds since 1970-01-01T00:00:00Z.*\n {3}\* Default: `null`\.\n {3}\*\/\n {2}admittedAt: number \| null;/);
  });

  it('declares nested records and enums once, named after their namespace, and refers to them by name', () => {
    const doctor = { type: 'record', name: 'Doctor', fields: [{ name: 'licence', type: 'string' }] };
    const ts = emit(
      ['moh.patient.admitted', record('PatientAdmitted', [{ name: 'by', type: doctor }, { name: 'second', type: ['null', 'Doctor'], default: null }, { name: 'level', type: { type: 'enum', name: 'Level', symbols: ['LOW', 'HIGH'], default: 'LOW' } }])],
      ['moh.patient.discharged', record('PatientDischarged', [{ name: 'by', type: { ...doctor, doc: 'same type, other doc' } }])],
    );
    expect(ts.match(/export interface MohDoctor /g)).toHaveLength(1);
    expect(ts).toContain('  by: MohDoctor;');
    expect(ts).toContain('  second: MohDoctor | null;');
    expect(ts).toContain("export type MohLevel = 'LOW' | 'HIGH';");
    expect(ts).toContain('reads `LOW`');
  });

  it('gives a differing redefinition of a named type its own, event-scoped name', () => {
    const ts = emit(
      ['moh.patient.admitted', record('PatientAdmitted', [{ name: 'by', type: { type: 'record', name: 'Doctor', fields: [{ name: 'licence', type: 'string' }] } }])],
      ['moh.patient.discharged', record('PatientDischarged', [{ name: 'by', type: { type: 'record', name: 'Doctor', fields: [{ name: 'licence', type: 'int' }] } }])],
    );
    expect(ts).toContain('export interface MohDoctor {');
    expect(ts).toContain('export interface MohPatientDischargedDoctor {');
    expect(ts).toContain('  by: MohPatientDischargedDoctor;');
  });

  it('handles a recursive record', () => {
    const ts = emit(['moh.tree.grown', record('TreeGrown', [{ name: 'root', type: { type: 'record', name: 'Node', fields: [{ name: 'children', type: { type: 'array', items: 'Node' } }] } }])]);
    expect(ts).toContain('  children: MohNode[];');
  });

  it('refuses what it cannot type, naming the event', () => {
    expect(() => emit(['moh.x.y', { type: 'string' }])).toThrow(AvroTypeScriptException);
    expect(() => emit(['moh.x.y', record('Y', [{ name: 'a', type: 'Missing' }])])).toThrow("MohXY: unknown Avro type 'Missing'");
  });

  it('escapes comment terminators in docs', () => {
    expect(jsDoc(['a */ b'], '')).toBe('/** a *\\/ b */\n');
    expect(jsDoc([], '  ')).toBe('');
  });
});
