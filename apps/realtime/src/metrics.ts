import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The socket tier's own series, registered on the process registry beside the bus and process metrics. */
export class RealtimeMetrics {
  readonly connections: Gauge;
  readonly messagesIn: Counter<'type'>;
  readonly messagesOut: Counter<'type'>;
  readonly slowConsumersDropped: Counter;
  readonly upgradesRejected: Counter<'code'>;
  /** Upgrades that waited for Redis because the denylist mirror was not current. */
  readonly upgradesDeferred: Counter;
  /** From the envelope's `occurredAt` to the local send: the whole fanout path, broker included. */
  readonly fanoutLatency: Histogram;
  /** What moderation did with new chat text: clean, allowed, masked, held, refused. */
  readonly chatModeration: Counter<'action'>;
  /** AFINN comparative sentiment of new chat text (about -5..5; most text is within -1..1). */
  readonly chatSentiment: Histogram;
  /** Messages this instance moved to the archive. */
  readonly chatArchived: Counter;
  /** Newest-page reads of the recent-message cache: hit, miss, error. */
  readonly chatRecentCache: Counter<'result'>;
  /** How late each 10 ms tick of the loop-lag sampler ran (loop-lag.ts): time the loop was busy. */
  readonly eventLoopLag: Histogram;
  /**
   * Seconds one presence refresh of all local users spent waiting for Redis (its scripts and the
   * sweep); the spread of its chunks over half the refresh period is left out, so slow Redis shows.
   */
  readonly presenceRefresh: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.connections = new Gauge({
      name: 'realtime_connections',
      help: 'Open WebSocket connections on this instance',
      registers,
    });
    this.messagesIn = new Counter({
      name: 'realtime_messages_in_total',
      help: 'Client frames received, by message type (invalid frames as bad_json / unknown / binary)',
      labelNames: ['type'],
      registers,
    });
    this.messagesOut = new Counter({
      name: 'realtime_messages_out_total',
      help: 'Frames sent to clients, by message type',
      labelNames: ['type'],
      registers,
    });
    this.slowConsumersDropped = new Counter({
      name: 'realtime_slow_consumers_dropped_total',
      help: 'Sockets closed because their unsent backlog exceeded WS_MAX_BACKPRESSURE_BYTES',
      registers,
    });
    this.upgradesRejected = new Counter({
      name: 'realtime_upgrades_rejected_total',
      help: 'WebSocket upgrades refused before the handshake, by problem code',
      labelNames: ['code'],
      registers,
    });
    this.upgradesDeferred = new Counter({
      name: 'realtime_upgrades_deferred_total',
      help: 'WebSocket upgrades that waited for Redis because the in-memory denylist was not current',
      registers,
    });
    this.fanoutLatency = new Histogram({
      name: 'realtime_fanout_latency_seconds',
      help: 'Seconds from an event occurring to its frame being written to a local socket',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.chatModeration = new Counter({
      name: 'realtime_chat_moderation_total',
      help: 'New and edited chat texts by what moderation did (clean, allowed, masked, held, refused)',
      labelNames: ['action'],
      registers,
    });
    this.chatSentiment = new Histogram({
      name: 'realtime_chat_sentiment',
      help: 'AFINN comparative sentiment score of new and edited chat texts (negative is hostile)',
      buckets: [-1, -0.5, -0.25, -0.05, 0.05, 0.25, 0.5, 1],
      registers,
    });
    this.chatRecentCache = new Counter({
      name: 'realtime_chat_recent_cache_reads_total',
      help: 'Reads of the newest history page from the Redis recent-message cache, by result',
      labelNames: ['result'],
      registers,
    });
    this.eventLoopLag = new Histogram({
      name: 'realtime_event_loop_lag_seconds',
      help: 'Delay of a timer due every 10 ms beyond its due time: how long the event loop was busy',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.presenceRefresh = new Histogram({
      name: 'realtime_presence_refresh_seconds',
      help: 'Seconds one presence refresh of all local users (every PRESENCE_TTL_SECONDS / 3) spent waiting for Redis, its spread left out',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.chatArchived = new Counter({
      name: 'realtime_chat_archived_messages_total',
      help: 'Chat messages this instance moved from the hot table to the archive',
      registers,
    });
  }
}
