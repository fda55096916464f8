// A listener that can stop answering and come back on the same port. Closing destroys every open
// socket (keep-alive and hanging ones too), so clients see exactly what a vanished host gives them:
// reset connections, then connection refused.
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { setMaxListeners } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';

/** Every delayed answer (latency, slow faults) listens to the lifetime signal: hundreds at once is normal. */
function lifetime(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

export class SwitchableListener {
  private readonly sockets = new Set<Socket>();
  private controller = lifetime();
  private listening = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly server: HttpServer | HttpsServer,
    private readonly host: string,
    private port: number,
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Aborted whenever the listener closes; in-flight delays listen to it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The bound port (the one picked by the OS when 0 was asked for, kept across reopenings). */
  get boundPort(): number {
    return this.port;
  }

  get isListening(): boolean {
    return this.listening;
  }

  /** Opens or closes; calls are serialized so quick toggles cannot interleave. */
  setOpen(open: boolean): Promise<void> {
    this.chain = this.chain.then(() => (open ? this.open() : this.close()));
    return this.chain;
  }

  private async open(): Promise<void> {
    if (this.listening) return;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(this.port, this.host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.controller = lifetime();
    this.listening = true;
  }

  private async close(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    this.controller.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }
}
