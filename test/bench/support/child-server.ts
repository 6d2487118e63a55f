/**
 * How a bench server child (api-child.ts, limit-server.ts, emmett-server.ts) lives: `start` listens and returns
 * how to close it; SIGTERM or SIGINT closes it and exits 0 (1 when closing fails); a start that fails prints
 * its stack on stderr and exits 1, so the bench reports it instead of waiting for /health.
 */
export function runChildServer(start: () => Promise<() => Promise<unknown>>): void {
  start().then(
    (close) => {
      const stop = () => {
        close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
