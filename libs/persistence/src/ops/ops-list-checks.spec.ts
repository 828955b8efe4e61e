import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataArgsStorage } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { DeadLetterEntity } from '../delivery/dead-letter.entity';
import { sqlInList } from '../sql-list';
import { OperatorEntity, ReplayJobEntity } from './ops.entities';

const MIGRATIONS = join(__dirname, '..', 'migrations');
const migrationSql = readdirSync(MIGRATIONS)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(MIGRATIONS, f), 'utf8'))
  .join('\n');

const checkOf = (target: object, name: string): string | undefined => getMetadataArgsStorage().checks.find((c) => c.target === target && c.name === name)?.expression;

describe('check constraints built from the ops API lists', () => {
  it.each([
    [OperatorEntity, 'CHK_operator_role'],
    [ReplayJobEntity, 'CHK_replay_job_state'],
    [DeadLetterEntity, 'CHK_dead_letter_state'],
  ] as const)('%o %s is, to the letter, the check its migration created (so no schema change is pending)', (entity, name) => {
    const expression = checkOf(entity, name);
    expect(expression).toBeDefined();
    expect(migrationSql).toContain(`"${name}" CHECK (${expression})`);
  });

  it('refuses a word that is not plain (no quoting games in SQL)', () => {
    expect(sqlInList(['a', 'b-c'])).toBe(`'a', 'b-c'`);
    expect(() => sqlInList(["x'); DROP TABLE operator; --"])).toThrow(/not a plain word/);
  });
});
