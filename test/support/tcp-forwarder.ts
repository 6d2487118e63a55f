import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP forwarder on a loopback port that stands in for a virtual IP: clients connect to it, it
 * connects them on to the current target. `repoint()` moves it (and drops every open pair, as a VIP
 * moving to another machine does); `cut()` refuses new clients and drops open ones (the target is down).
 */
export class TcpForwarder {
  private server: Server | undefined;
  private readonly pairs = new Set<[Socket, Socket]>();
  private accepting = true;
  private stalled = false;
  port = 0;

  constructor(private target: { host: string; port: number }) {}

  async listen(): Promise<number> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(0, '127.0.0.1', resolve);
    });
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this.port;
  }

  /** Drops every open connection and sends new ones to `target`. */
  repoint(target: { host: string; port: number }): void {
    this.target = target;
    this.accepting = true;
    this.stalled = false;
    this.dropAll();
  }

  /**
   * A database that hangs (its server stopped, a link that black-holes): every connection stays open and
   * nothing is forwarded either way; new clients are accepted and get no answer. `repoint()` ends it.
   */
  stall(): void {
    this.stalled = true;
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Refuses new connections (closed at once) and drops the open ones. */
  cut(): void {
    this.accepting = false;
    this.dropAll();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    if (!this.accepting) {
      client.destroy();
      return;
    }
    if (this.stalled) {
      // Kept open, never answered: dropped by the next repoint() or cut().
      const hung: [Socket, Socket] = [client, client];
      this.pairs.add(hung);
      client.pause();
      client.on('error', () => undefined).on('close', () => this.pairs.delete(hung));
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const drop = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private dropAll(): void {
    for (const [client, upstream] of [...this.pairs]) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }
}
