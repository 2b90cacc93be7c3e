import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The one AsyncLocalStorage a request's context lives in: a frame of slots, one per kind of
 * value (tenancy, deadline, request log, hand-over). On Node 20 every AsyncLocalStorage in use
 * copies its store onto every promise created; one storage holding a small frame costs what
 * one does, where four storages cost four times that on every promise of every request.
 */
const frames = new AsyncLocalStorage<readonly unknown[]>();
let slots = 0;

/**
 * A value carried through async calls, like an `AsyncLocalStorage` of its own (`run`,
 * `getStore`), kept in the shared frame: `run` copies the frame it is called in and sets this
 * slot, so the other slots' values stay in force inside.
 */
export class ContextSlot<T> {
  private readonly index = slots++;

  run<R>(value: T, fn: () => R): R {
    const frame = frames.getStore()?.slice() ?? [];
    frame[this.index] = value;
    return frames.run(frame, fn);
  }

  getStore(): T | undefined {
    return frames.getStore()?.[this.index] as T | undefined;
  }
}
