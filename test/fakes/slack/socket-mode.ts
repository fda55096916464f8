// Socket Mode (§4): single-use connection tickets from apps.connections.open, `hello` on connect,
// envelopes with UUIDs, ack deadlines measured here (Bolt has no Socket Mode timer, §1.2), and
// disconnect/terminate controls for reconnect tests. Pings come from the client; `ws` answers them.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isRecord } from './json.js';
import type { ConnectionRecord, FrameRecord } from './types.js';

const TICKET_LIFETIME_MS = 60_000;

interface Connection {
  readonly id: number;
  readonly ws: WebSocket;
  readonly openedAt: number;
  closedAt?: number;
  closeCode?: number;
  open: boolean;
}

interface Pending {
  readonly started: number;
  settled: boolean;
  readonly onAck: (payload: unknown, elapsedMs: number) => void;
}

export interface SocketAck {
  readonly envelopeId: string;
  readonly acked: boolean;
  readonly payload?: unknown;
  readonly elapsedMs: number;
}

export class SocketModeServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Map<string, number>();
  private readonly conns: Connection[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private connectionCount = 0;
  readonly frames: FrameRecord[] = [];

  constructor(
    private readonly wsBaseUrl: string,
    private readonly appId: string,
    private readonly now: () => number,
  ) {}

  /** Like Slack's wss URL: valid for one connection only, so each reconnect must call the API again. */
  mintUrl(): string {
    const ticket = randomUUID();
    this.tickets.set(ticket, this.now());
    return `${this.wsBaseUrl}/link/?ticket=${ticket}&app_id=${this.appId}`;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    const issuedAt = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (url.pathname !== '/link/' || issuedAt === undefined || this.now() - issuedAt > TICKET_LIFETIME_MS) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  isConnected(): boolean {
    return this.conns.some((c) => c.open);
  }

  connections(): ConnectionRecord[] {
    return this.conns.map((c) => ({
      id: c.id,
      openedAt: c.openedAt,
      open: c.open,
      ...(c.closedAt !== undefined ? { closedAt: c.closedAt } : {}),
      ...(c.closeCode !== undefined ? { closeCode: c.closeCode } : {}),
    }));
  }

  /**
   * Sends an envelope on the newest open connection and resolves at the ack or at the deadline,
   * whichever comes first. A late ack is still reported through `onLateAck`.
   */
  deliver(type: 'slash_commands' | 'interactive' | 'events_api', payload: unknown, ackTimeoutMs: number, onLateAck: (envelopeId: string, elapsedMs: number) => void): Promise<SocketAck> {
    const conn = [...this.conns].reverse().find((c) => c.open);
    if (!conn) return Promise.reject(new Error('fake Slack: no open Socket Mode connection; start the app in socketMode first'));
    const envelopeId = randomUUID();
    return new Promise((resolve) => {
      const started = performance.now();
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const entry = this.pending.get(envelopeId);
        if (entry && !entry.settled) {
          entry.settled = true;
          resolve({ envelopeId, acked: false, elapsedMs: Math.round(performance.now() - started) });
        }
      }, ackTimeoutMs);
      this.timers.add(timer);
      this.pending.set(envelopeId, {
        started,
        settled: false,
        onAck: (ackPayload, elapsedMs) => {
          const entry = this.pending.get(envelopeId);
          if (!entry) return;
          if (entry.settled) return onLateAck(envelopeId, elapsedMs);
          entry.settled = true;
          clearTimeout(timer);
          this.timers.delete(timer);
          resolve({ envelopeId, acked: true, payload: ackPayload, elapsedMs });
        },
      });
      this.send(conn, { envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' });
    });
  }

  disconnect(reason: string): void {
    for (const conn of this.conns) {
      if (conn.open) this.send(conn, { type: 'disconnect', reason, debug_info: { host: 'applink-fake' } });
    }
  }

  terminate(): void {
    for (const conn of this.conns) if (conn.open) conn.ws.terminate();
  }

  /** Forget recorded frames and settled envelopes; live connections stay up across tests. */
  clearRecords(): void {
    this.frames.length = 0;
    for (const [id, entry] of this.pending) if (entry.settled) this.pending.delete(id);
    for (let i = this.conns.length - 1; i >= 0; i -= 1) if (!this.conns[i]?.open) this.conns.splice(i, 1);
  }

  /**
   * Lets a client that is already closing (app.stop() just sent its close frame) finish the
   * handshake before dropping what is left. Dropping it mid-handshake makes @slack/socket-mode
   * 3.1.0 call its disconnect() twice and leak a 30 s timer, which keeps the test process alive.
   */
  async close(graceMs = 1000): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const deadline = Date.now() + graceMs;
    while (this.isConnected() && Date.now() < deadline) await sleep(10);
    this.terminate();
    this.wss.close();
  }

  private onConnection(ws: WebSocket): void {
    this.connectionCount += 1;
    const conn: Connection = { id: this.connectionCount, ws, openedAt: this.now(), open: true };
    this.conns.push(conn);
    ws.on('message', (data, isBinary) => this.onFrame(conn, data, isBinary));
    ws.on('close', (code) => {
      conn.open = false;
      conn.closedAt = this.now();
      conn.closeCode = code;
    });
    // Errors end in 'close' as well; nothing to add, but an unhandled 'error' would crash the test.
    ws.on('error', () => undefined);
    this.send(conn, {
      type: 'hello',
      num_connections: this.conns.filter((c) => c.open).length,
      debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: this.appId },
    });
  }

  private onFrame(conn: Connection, data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    let frame: unknown;
    try {
      frame = JSON.parse(rawText(data));
    } catch {
      frame = { unparsable: true };
    }
    this.frames.push({ connectionId: conn.id, direction: 'from_app', data: frame, at: this.now() });
    if (!isRecord(frame) || typeof frame['envelope_id'] !== 'string') return;
    const entry = this.pending.get(frame['envelope_id']);
    entry?.onAck(frame['payload'], Math.round(performance.now() - entry.started));
  }

  private send(conn: Connection, frame: Record<string, unknown>): void {
    this.frames.push({ connectionId: conn.id, direction: 'to_app', data: structuredClone(frame), at: this.now() });
    conn.ws.send(JSON.stringify(frame));
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(new Uint8Array(data)).toString('utf8');
}
