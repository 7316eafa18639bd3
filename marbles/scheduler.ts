import { TestScheduler, type RunHelpers } from 'rxjs/testing';

/** Runs `body` in virtual time; marble expectations compare with jest's toEqual. */
export const marbles = (body: (h: RunHelpers) => void): void =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(body);

/** Returns a fresh TestScheduler, for tests that need the scheduler object inside run(). */
export const testScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
