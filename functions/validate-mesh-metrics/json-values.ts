/** Reading lists out of resource data without trusting their shape. */
import { asObject, type Json } from '../../src/krm/index.js';

/** A JSON object. */
export type Obj = { [key: string]: Json };

/** The objects of a list (anything else left out); none when it is not a list. */
export const objects = (value: Json | undefined): Obj[] =>
  Array.isArray(value)
    ? value.flatMap((v): Obj[] => {
        const o = asObject(v);
        return o ? [o] : [];
      })
    : [];

/** The strings of a list; none when it is not a list. */
export const strings = (value: Json | undefined): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
