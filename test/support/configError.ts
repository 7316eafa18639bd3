import { RxporterError } from '../../src/errors';
import { thrown } from './thrown';

/** Returns the RXP_CONFIG error `f` throws; fails the test when it throws another or none. */
export function configError(f: () => unknown): RxporterError {
  const e = thrown(f);
  expect(e).toBeInstanceOf(RxporterError);
  expect((e as RxporterError).code).toBe('RXP_CONFIG');
  return e as RxporterError;
}
