/**
 * Config fields that name a file-system path. A control character in one (a newline from a YAML block scalar, a
 * tab, a NUL) would be written into a volume mount and a Prometheus tlsConfig, where it fails only at run time, in
 * the cluster, far from the config that caused it.
 */
import * as z from 'zod';

const controlNames: Record<number, string> = {
  0: 'a NUL',
  9: 'a tab',
  10: 'a newline',
  13: 'a carriage return',
};

/** The first control character (C0 or DEL) in `text`, as words, with its position; undefined when there is none. */
function firstControl(text: string): string | undefined {
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code < 32 || code === 127) {
      const name =
        controlNames[code] ?? `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      return `${name} at character ${at + 1}`;
    }
  }
  return undefined;
}

/** A string schema for a path: refuses control characters, saying which one and where. */
export function pathString(): z.ZodString {
  return z.string().check((ctx) => {
    const found = firstControl(ctx.value);
    if (found)
      ctx.issues.push({
        code: 'custom',
        message: `a path cannot hold control characters: ${found}`,
        input: ctx.value,
      });
  });
}
