import type { KeySpace } from '../keys';

/** What a pure action builder needs to know about the table: its name and the tenant's keys. */
export interface TableRef {
  readonly table: string;
  readonly keys: KeySpace;
}
