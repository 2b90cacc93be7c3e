import type { Logger } from './logger.js';

export interface PeriodicWorker {
  /** stops scheduling passes and waits for the one under way */
  stop(): Promise<void>;
}

/**
 * Runs `pass` now and then `intervalMs` after each pass ends, until `stop()`. A failed pass is
 * logged and the next one runs as planned, so a worker survives a database hiccup. The timer
 * does not keep the process alive; `close` runs after the last pass (the worker's own client).
 */
export function startPeriodic(options: {
  name: string;
  intervalMs: number;
  logger: Logger;
  pass: () => Promise<void>;
  close?: () => Promise<void>;
}): PeriodicWorker {
  const { name, intervalMs, logger } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      await options.pass();
    } catch (err) {
      logger.warn({ err }, `${name} pass failed; retrying at the next one`);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      pass = tick().finally(schedule);
    }, intervalMs);
    timer.unref?.();
  };
  pass = tick().finally(schedule);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
      await options.close?.();
    },
  };
}
