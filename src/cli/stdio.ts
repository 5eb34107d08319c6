/**
 * Standard input and output as plain file descriptors. `process.stdin` is never touched: opening it puts fd 0 in
 * non-blocking mode, after which a synchronous read sees EAGAIN on a pipe whose writer is slow and a reader that
 * took that for end of input lost the whole ResourceList. A parent may hand over a non-blocking fd too, so EAGAIN
 * always means "wait", on both ends.
 */
import { readSync, writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps the thread for `ms`: nothing else can run while a synchronous read or write waits anyway. */
function sleep(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

const isAgain = (e: unknown): boolean => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
};

/** What reading stdin gives: its bytes, or why they are not all there. */
export type StdinRead = { bytes: Buffer } | { tooLarge: number };

/** Reads fd 0 to end of file; refuses (without reading further) past `maxBytes`. */
export function readStdinBytes(maxBytes: number): StdinRead {
  const chunks: Buffer[] = [];
  let total = 0;
  let wait = 1;
  for (;;) {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let n: number;
    try {
      n = readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      if (isAgain(e)) {
        sleep(wait);
        wait = Math.min(wait * 2, 50);
        continue;
      }
      // A closed or absent stdin (EOF on Windows, EBADF when there is none) is an empty input.
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EOF' || code === 'EBADF') break;
      throw e;
    }
    if (n === 0) break;
    wait = 1;
    total += n;
    if (total > maxBytes) return { tooLarge: total };
    chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
  }
  return { bytes: Buffer.concat(chunks, total) };
}

/** Writes all of `text` to `fd`; undefined when it all went out, else why it did not (a full disk, a closed pipe). */
export function writeAll(fd: number, text: string): string | undefined {
  const bytes = Buffer.from(text, 'utf8');
  let wait = 1;
  for (let at = 0; at < bytes.length; ) {
    try {
      const n = writeSync(fd, bytes, at, Math.min(bytes.length - at, 1 << 20));
      if (n <= 0) return `short write (${at} of ${bytes.length} bytes)`;
      at += n;
      wait = 1;
    } catch (e) {
      if (isAgain(e)) {
        sleep(wait);
        wait = Math.min(wait * 2, 50);
        continue;
      }
      return `${(e as Error).message} after ${at} of ${bytes.length} bytes`;
    }
  }
  return undefined;
}
