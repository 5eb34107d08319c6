/** Plain data as the `yaml` package's `toJS` gives it, shared by the item and the block readers. */

/** A plain-data view of a resource (what `toJS` gives). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A resource as plain data. */
export type Resource = { [key: string]: Json };
