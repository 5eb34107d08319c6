/** Reading all of stdin, synchronously: the whole input is needed before any output anyway. */
import { readFileSync } from 'node:fs';

/** All of stdin as UTF-8 text ('' when stdin is closed). */
export function readStdin(): string {
  try {
    // Reading bytes and decoding once is measurably faster than asking readFileSync for a string.
    return readFileSync(0).toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN' || (e as NodeJS.ErrnoException).code === 'EOF')
      return '';
    throw e;
  }
}
