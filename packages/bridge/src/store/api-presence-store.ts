/** One row for all api processes: the last time any of them was alive. */
export interface ApiPresenceStore {
  /** Records that an api is alive at `ms`; never moves the time back. */
  markApiAlive(ms: number): Promise<void>;
  /** When an api was last alive; undefined before the first api ever ran on this store. */
  apiLastAlive(): Promise<number | undefined>;
}
