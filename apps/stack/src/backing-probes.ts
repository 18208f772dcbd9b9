import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { BackingKind, ProbeResult } from './backing-services.js';
import { describeError } from './errors.js';

const DEFAULT_PORTS: Record<BackingKind, number> = { postgres: 5432, redis: 6379, rabbitmq: 5672 };

/** Resolves once a TCP connection to host:port opens, or with the reason it did not. */
export function tcpConnect(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: ProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, reason: `no answer within ${timeoutMs} ms` }));
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (error) =>
      done({ ok: false, reason: `nothing accepts connections (${describeError(error)})` }),
    );
  });
}

async function checkPostgres(url: string, timeoutMs: number): Promise<void> {
  // The target database may not exist yet (the launcher creates it), so log in to the maintenance one.
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis(url: string, timeoutMs: number): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

async function checkRabbit(url: string, timeoutMs: number): Promise<void> {
  const connection = await amqp.connect(url, { timeout: timeoutMs });
  connection.on('error', () => undefined);
  await connection.close();
}

const PROTOCOL_CHECKS: Record<BackingKind, (url: string, timeoutMs: number) => Promise<void>> = {
  postgres: checkPostgres,
  redis: checkRedis,
  rabbitmq: checkRabbit,
};

/** TCP first (a fast, clear "nothing there"), then a real login and round trip in the server's protocol. */
export async function probeBacking(kind: BackingKind, url: string, timeoutMs = 3_000): Promise<ProbeResult> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'the URL does not parse' };
  }
  const port = parsed.port === '' ? DEFAULT_PORTS[kind] : Number(parsed.port);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const tcp = await tcpConnect(host, port, timeoutMs);
  if (!tcp.ok) return tcp;
  try {
    await PROTOCOL_CHECKS[kind](url, timeoutMs);
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      listening: true,
      reason: `the port is open but the server refused us (${describeError(error)})`,
    };
  }
}

/** Whether testcontainers has a Docker engine to talk to (it looks in the same places). */
export function dockerAvailable(env: NodeJS.ProcessEnv): boolean {
  if (env.DOCKER_HOST) return true;
  const candidates = ['/var/run/docker.sock', path.join(os.homedir(), '.docker', 'run', 'docker.sock')];
  if (env.XDG_RUNTIME_DIR) candidates.push(path.join(env.XDG_RUNTIME_DIR, 'docker.sock'));
  return candidates.some((file) => existsSync(file));
}
