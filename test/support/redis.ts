import { createConnection } from 'node:net';

/** The Redis the tests share (rate limits, workers): REDIS_URL, default 127.0.0.1:6379. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether anything answers at REDIS_URL (tests that need it are skipped, saying why, if not). */
export const redisUp = () =>
  new Promise<boolean>((resolve) => {
    const u = new URL(REDIS_URL);
    const socket = createConnection(Number(u.port || 6379), u.hostname);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
