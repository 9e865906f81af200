import { GraphQLError } from 'graphql';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { asAppError, isDatabaseUnavailable, NotFoundError } from '../core/errors';
import { formatError } from './errors';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['the pool wait running out', new Error('timeout exceeded when trying to connect')],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
    ['the server shutting down (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['the server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['TypeORM wrapping a connection exception (08006)', new QueryFailedError('SELECT 1', [], pgError('08006'))],
    ['a transaction that could not begin', new Error('the transaction could not begin', { cause: pgError('57P01') })],
    ['a query runner TypeORM released when its connection failed', new QueryRunnerAlreadyReleasedError()],
    ['the same, through an entity manager', new QueryRunnerProviderAlreadyReleasedError()],
    ['GraphQL wrapping it', new GraphQLError('Context creation failed', { originalError: pgError('08001') })],
  ])('is true for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], pgError('23505'))],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['nothing', undefined],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('formatError', () => {
  const formatted = { message: 'raw', path: ['x'] };
  it('says SERVICE_UNAVAILABLE for a database that is down, without its text', () => {
    const out = formatError(
      formatted,
      new QueryFailedError('SELECT secret', [], pgError('57P01', 'terminating connection')),
    );
    expect(out).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' }, path: ['x'] });
    expect(out.message).not.toContain('SELECT');
  });
  it('says BAD_USER_INPUT for text PostgreSQL cannot store', () => {
    expect(formatError(formatted, new QueryFailedError('INSERT', [], pgError('22021'))).extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
  });
  it('keeps typed errors and masks the rest', () => {
    expect(asAppError(new NotFoundError('Tier', 'x'))).toBeInstanceOf(NotFoundError);
    expect(formatError(formatted, new TypeError('boom'))).toMatchObject({
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});
