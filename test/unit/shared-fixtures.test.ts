/** Tests that need ../shared say so when it is missing, naming the folder, instead of skipping silently. */
import { expect, it, vi } from 'vitest';
import { sharedFixture } from '../support/shared-fixtures.js';

it('a missing shared fixture is undefined, with one notice naming the folder and what is skipped', () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  expect(sharedFixture('no-such-fixture', 'the demo check')).toBeUndefined();
  expect(sharedFixture('no-such-fixture', 'the demo check')).toBeUndefined();
  expect(warn).toHaveBeenCalledTimes(1);
  expect(warn.mock.calls[0]?.[0]).toMatch(
    /^the demo check skipped: \S+\/shared\/fixtures\/real-world\/no-such-fixture is missing/,
  );
  warn.mockRestore();
});
