/**
 * Strict mocks for unit tests (after Immich's `automock`): a stand-in for a dependency that does only what the test
 * configured. Calling anything else fails the test with "unexpected call to <name>.<member>" instead of returning
 * undefined and letting the code under test go on with a value nobody chose.
 *
 * ```ts
 * const relay = strictMock<OutboxRelay>('relay', { stats: () => ({ ...stats, leader: true }) });
 * const pg = strictMock<PgPool>('pg', { pool: strictMock<PgPool['pool']>('pg.pool', { query }) });
 * new PublishWaiter(pg, relay); // relay.onPublished(...) throws: unexpected call to relay.onPublished
 * ```
 *
 * Configured members are returned as given (pass `jest.fn(...)` to assert on calls). An unconfigured member is a stub
 * that throws when it is called, or when it is used as a value (`+stub`, `${stub}`); reading a member of a stub gives
 * a deeper stub (`pg.pool.query`). Symbols and the properties runtimes probe (`then`, so that a mock can be awaited,
 * `toJSON`, `asymmetricMatch`...) read as undefined. A code path that catches the error and goes on hides it: assert
 * on the outcome as well.
 */

/** Properties that promises, Jest and Node's inspection read on any value to find out what it is. */
const PROBED = new Set([
  'then',
  'toJSON',
  'asymmetricMatch',
  '$$typeof',
  'nodeType',
  'constructor',
  'inspect',
  '_isMockFunction',
  '@@__IMMUTABLE_ITERABLE__@@',
  '@@__IMMUTABLE_RECORD__@@',
  '@@__IMMUTABLE_KEYED__@@',
  '@@__IMMUTABLE_ORDERED__@@',
]);

/** Thrown by a strict mock on a use the test did not configure. */
export class UnexpectedCallError extends Error {
  constructor(readonly member: string, use: 'call to' | 'use of' = 'call to') {
    super(`unexpected ${use} ${member} (not configured in its strictMock)`);
    this.name = 'UnexpectedCallError';
  }
}

function stub(path: string): unknown {
  const target = function strictStub(): never {
    throw new UnexpectedCallError(path);
  };
  return new Proxy(target, {
    apply: () => {
      throw new UnexpectedCallError(path);
    },
    construct: () => {
      throw new UnexpectedCallError(`new ${path}`);
    },
    get: (_target, property) => {
      if (property === Symbol.toPrimitive) {
        return () => {
          throw new UnexpectedCallError(path, 'use of');
        };
      }
      if (typeof property === 'symbol' || PROBED.has(property)) return undefined;
      return stub(`${path}.${property}`);
    },
  });
}

/**
 * A `T` named `name` in failure messages, whose configured `members` behave as given and whose every other member
 * throws "unexpected call to <name>.<member>" when called.
 */
export function strictMock<T extends object>(name: string, members: Partial<T> = {}): T {
  const configured: Record<string | symbol, unknown> = members;
  return new Proxy(configured, {
    get: (target, property) => {
      if (Object.hasOwn(target, property)) return target[property];
      if (typeof property === 'symbol' || PROBED.has(property)) return undefined;
      return stub(`${name}.${property}`);
    },
    has: (target, property) => Object.hasOwn(target, property),
  }) as T;
}
