import { describe, expect, it } from 'vitest';
import { ProblemDetailsFilter } from './problem-details.filter';
import { databaseAddress, unreachableDependency } from './unreachable.dependency';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const refused = (address = '127.0.0.1', port = 5432) => Object.assign(withCode(`connect ECONNREFUSED ${address}:${port}`, 'ECONNREFUSED'), { address, port, syscall: 'connect' });

describe('unreachableDependency', () => {
  it.each([
    ['a server shut down by its administrator', withCode('terminating connection due to administrator command', '57P01')],
    ['a server starting up', withCode('the database system is starting up', '57P03')],
    ['a connection exception (class 08)', withCode('connection failure', '08006')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ["a pool's connect timeout", new Error('timeout exceeded when trying to connect')],
    ["a socket error inside TypeORM's QueryFailedError", Object.assign(new Error('read ECONNRESET'), { name: 'QueryFailedError', code: 'ECONNRESET', driverError: withCode('read ECONNRESET', 'ECONNRESET') })],
    ['a wrapped cause', new Error('could not reserve', { cause: withCode('terminating connection due to administrator command', '57P01') })],
  ])("'database' for %s", (_, error) => {
    expect(unreachableDependency(error)).toBe('database');
  });

  it.each([
    ['a bare refused connection', refused()],
    ['every address of a host refused', new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), refused()], '')],
    ["fetch's TypeError with the socket error as cause", new TypeError('fetch failed', { cause: refused() })],
  ])("'dependency' for %s", (_, error) => {
    expect(unreachableDependency(error)).toBe('dependency');
  });

  describe('a bare refused connection, when the database address is known', () => {
    it.each([
      ['the same address and port', 'postgres://rabt@127.0.0.1:5432/rabt', refused('127.0.0.1', 5432), 'database'],
      ['a host name: the port decides', 'postgres://rabt@localhost/rabt', refused('::1', 5432), 'database'],
      ['an IPv6 literal', 'postgres://rabt@[::1]:6543/rabt', refused('::1', 6543), 'database'],
      ['another port (the registry, a broker)', 'postgres://rabt@127.0.0.1:5432/rabt', refused('127.0.0.1', 8081), 'dependency'],
      ['another address on the same port', 'postgres://rabt@10.0.0.5:5432/rabt', refused('127.0.0.1', 5432), 'dependency'],
    ])('%s', (_, url, error, expected) => {
      expect(unreachableDependency(error, databaseAddress(url))).toBe(expected);
    });
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['a serialization failure', withCode('could not serialize access', '40001')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a message merely mentioning a connection', new Error('the webhook connection was terminated')],
    ['no error at all', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('undefined for %s', (_, error) => {
    expect(unreachableDependency(error)).toBeUndefined();
  });

  it('stops on a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(unreachableDependency(a)).toBeUndefined();
  });
});

describe('ProblemDetailsFilter and an unreachable dependency', () => {
  const filter = new ProblemDetailsFilter();

  it('answers an unreachable database 503 DATABASE_UNAVAILABLE with Retry-After', () => {
    const doc = filter.toProblem(withCode('the database system is shutting down', '57P03'));
    expect(doc).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE', retryAfterSeconds: 5 });
    expect(doc.errorId).toBeUndefined();
  });

  it('answers another unreachable dependency 503 UNAVAILABLE with Retry-After', () => {
    expect(filter.toProblem(refused())).toMatchObject({ status: 503, code: 'UNAVAILABLE', retryAfterSeconds: 5 });
  });

  it("names the database when the refused address is the service's DATABASE_URL", () => {
    const knowing = new ProblemDetailsFilter().databaseAt('postgres://rabt@127.0.0.1:5432/rabt');
    expect(knowing.toProblem(refused())).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(knowing.toProblem(refused('127.0.0.1', 8081))).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
  });

  it('still answers anything else 500 INTERNAL_ERROR with an error id', () => {
    const doc = filter.toProblem(withCode('duplicate key value violates unique constraint', '23505'));
    expect(doc).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(doc.errorId).toEqual(expect.any(String));
  });
});
