/**
 * One POP3 byte stream: a TCP or TLS socket, the reply reader over it, and a deadline on every
 * wait. It knows nothing of commands; Pop3Client says what to send and which kind of reply to read.
 * Reads are one at a time (replies arrive in order, RFC 2449 §6.6), writes may run ahead of them.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { MailError } from '../../domain/errors';
import { connectionLost, timeoutError, toMailError } from './errors';
import { ReplyReader, type StatusReply } from './reply-reader';
import { tlsConnectOptions, verifyPeer, type TlsEndpoint } from './tls-trust';

/** While nobody is reading, stop taking bytes from the socket past this much buffered input. */
const BACKPRESSURE_BYTES = 1024 * 1024;

export interface Pop3Endpoint extends TlsEndpoint {
  port: number;
}

export interface ConnectionLimits {
  maxLineBytes: number;
  maxMultiLineBytes: number;
}

interface Waiter {
  /** Completes the read from buffered bytes if it can (true), else false. Throws Pop3ProtocolError. */
  readonly attempt: () => boolean;
  readonly reject: (error: MailError) => void;
  readonly timer: NodeJS.Timeout;
  /** Multi-line waits restart their timer whenever bytes arrive; status waits have a fixed deadline. */
  readonly restartTimer: (() => void) | null;
}

export class Pop3Connection {
  private socket: Socket;
  private readonly reader: ReplyReader;
  private waiter: Waiter | null = null;
  /** Set when the stream can no longer be read (timeout, protocol violation, close()). */
  private fatal: MailError | null = null;
  /** Set when the socket closed; what was received before it may still be read. */
  private closed: MailError | null = null;
  private hasTls: boolean;

  private readonly onData = (chunk: Buffer): void => {
    this.reader.push(chunk);
    this.waiter?.restartTimer?.();
    this.pump();
    if (this.waiter === null && this.reader.bufferedBytes > BACKPRESSURE_BYTES) this.socket.pause();
  };
  private readonly onError = (error: Error): void => {
    this.closed ??= toMailError(error);
  };
  private readonly onClose = (): void => {
    this.closed ??= connectionLost('the server closed the connection');
    this.pump();
  };

  private constructor(socket: Socket, secure: boolean, limits: ConnectionLimits) {
    this.socket = socket;
    this.hasTls = secure;
    this.reader = new ReplyReader({
      maxLineBytes: limits.maxLineBytes,
      maxMultiLineBytes: limits.maxMultiLineBytes,
    });
    this.attach(socket);
  }

  /** Opens TCP, and TLS at once when `implicitTls` (port 995 style, RFC 8314). One deadline covers both. */
  static open(
    endpoint: Pop3Endpoint,
    implicitTls: boolean,
    timeoutMs: number,
    limits: ConnectionLimits,
  ): Promise<Pop3Connection> {
    return new Promise((resolve, reject) => {
      const tlsSocket = implicitTls
        ? tlsConnect({ ...tlsConnectOptions(endpoint), port: endpoint.port })
        : null;
      const socket: Socket = tlsSocket ?? netConnect({ host: endpoint.host, port: endpoint.port });
      const settle = (error: MailError | null): void => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.off(readyEvent, onReady);
        if (error === null) {
          resolve(new Pop3Connection(socket, implicitTls, limits));
        } else {
          socket.on('error', () => undefined); // late errors of a socket we gave up on
          socket.destroy();
          reject(error);
        }
      };
      const onError = (error: Error): void => settle(toMailError(error));
      const onReady = (): void => {
        try {
          if (tlsSocket !== null) verifyPeer(tlsSocket, endpoint.trust);
          settle(null);
        } catch (error) {
          settle(toMailError(error));
        }
      };
      const readyEvent = implicitTls ? 'secureConnect' : 'connect';
      const timer = setTimeout(() => settle(timeoutError('connect', timeoutMs)), timeoutMs);
      socket.once('error', onError);
      socket.once(readyEvent, onReady);
    });
  }

  get isSecure(): boolean {
    return this.hasTls;
  }

  /** Whether the stream can still carry commands. */
  get isUsable(): boolean {
    return this.fatal === null && this.closed === null;
  }

  /**
   * RFC 2595 §4: after "+OK" to STLS, negotiate TLS on the same socket. Bytes received after that
   * +OK and before the handshake cannot be trusted (they could be injected by an attacker to pose
   * as replies over TLS), so their presence fails the upgrade.
   */
  async upgradeToTls(endpoint: TlsEndpoint, timeoutMs: number): Promise<void> {
    this.assertUsable();
    if (this.reader.bufferedBytes > 0) {
      throw this.fail(
        new MailError('TLS_FAILED', 'A secure connection to the mail server could not be established.', {
          detail: 'the server sent data after accepting STLS, before the TLS handshake',
          retryable: false,
        }),
      );
    }
    const plain = this.socket;
    this.detach(plain);
    // From now on the TLS socket reports errors and closing; the plain one must not crash the process.
    plain.on('error', () => undefined);
    const secure = tlsConnect({ ...tlsConnectOptions(endpoint), socket: plain });
    this.socket = secure;
    await new Promise<void>((resolve, reject) => {
      const settle = (error: MailError | null): void => {
        clearTimeout(timer);
        secure.off('error', onError);
        secure.off('close', onClose);
        secure.off('secureConnect', onReady);
        if (error === null) {
          resolve();
        } else {
          secure.on('error', () => undefined);
          reject(this.fail(error));
        }
      };
      const onError = (error: Error): void => settle(toMailError(error));
      const onClose = (): void =>
        settle(connectionLost('the server closed the connection during the TLS handshake'));
      const onReady = (): void => {
        try {
          verifyPeer(secure, endpoint.trust);
          settle(null);
        } catch (error) {
          settle(toMailError(error));
        }
      };
      const timer = setTimeout(() => settle(timeoutError('TLS handshake after STLS', timeoutMs)), timeoutMs);
      secure.once('error', onError);
      secure.once('close', onClose);
      secure.once('secureConnect', onReady);
    });
    this.hasTls = true;
    this.attach(secure);
  }

  /** Sends one command line; CRLF is added (RFC 1939 §3). */
  writeLine(line: string): void {
    this.assertUsable();
    this.socket.write(Buffer.from(`${line}\r\n`, 'utf8'));
  }

  /** Sends several command lines in one write, for pipelining (RFC 2449 §6.6). */
  writeLines(lines: readonly string[]): void {
    this.assertUsable();
    this.socket.write(Buffer.from(lines.map((line) => `${line}\r\n`).join(''), 'utf8'));
  }

  /** The next single-line reply, within `timeoutMs`. */
  readStatus(timeoutMs: number, step: string): Promise<StatusReply> {
    return this.read(() => this.reader.takeStatus(), false, timeoutMs, step);
  }

  /** The next multi-line body; fails if no byte arrives for `idleTimeoutMs`. */
  readMultiLine(idleTimeoutMs: number, step: string): Promise<Buffer> {
    return this.read(() => this.reader.takeMultiLine(), true, idleTimeoutMs, step);
  }

  /** Drops the connection at once (also after QUIT); a pending read fails with CANCELLED. */
  destroy(): void {
    this.fail(
      new MailError('CANCELLED', 'The connection to the mail server was closed.', { retryable: false }),
    );
  }

  private read<T>(take: () => T | null, isIdleTimeout: boolean, timeoutMs: number, step: string): Promise<T> {
    if (this.waiter !== null) return Promise.reject(new Error('Pop3Connection: one read at a time'));
    if (this.fatal !== null) return Promise.reject(this.fatal);
    return new Promise<T>((resolve, reject) => {
      const onTimeout = (): void => {
        this.fail(timeoutError(step, timeoutMs));
      };
      const waiter: Waiter = {
        attempt: () => {
          const reply = take();
          if (reply === null) return false;
          resolve(reply);
          return true;
        },
        reject,
        timer: setTimeout(onTimeout, timeoutMs),
        // refresh() restarts the same timer: no new timer per received chunk.
        restartTimer: isIdleTimeout ? () => void waiter.timer.refresh() : null,
      };
      this.waiter = waiter;
      this.socket.resume();
      this.pump();
    });
  }

  /** Hands the current waiter its reply if complete, or the error that ends the stream. */
  private pump(): void {
    const waiter = this.waiter;
    if (waiter === null) return;
    if (this.fatal === null) {
      try {
        if (waiter.attempt()) {
          this.settleWaiter();
          return;
        }
      } catch (error) {
        this.fail(toMailError(error));
        return;
      }
    }
    const error = this.fatal ?? this.closed;
    if (error !== null) {
      this.settleWaiter();
      waiter.reject(error);
    }
  }

  private settleWaiter(): void {
    if (this.waiter !== null) clearTimeout(this.waiter.timer);
    this.waiter = null;
  }

  /** Marks the stream unusable, destroys the socket and fails any pending read. Returns the error. */
  private fail(error: MailError): MailError {
    this.fatal ??= error;
    this.socket.destroy();
    const waiter = this.waiter;
    if (waiter !== null) {
      this.settleWaiter();
      waiter.reject(this.fatal);
    }
    return this.fatal;
  }

  private assertUsable(): void {
    const error = this.fatal ?? this.closed;
    if (error !== null) throw error;
  }

  private attach(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  private detach(socket: Socket): void {
    socket.off('data', this.onData);
    socket.off('error', this.onError);
    socket.off('close', this.onClose);
  }
}
