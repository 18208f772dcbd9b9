import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What a consumed message came to. */
export type ConsumeOutcome = 'acked' | 'retried' | 'dead_lettered' | 'requeued';

/** Live readings the gauges take at scrape time. */
export interface BusGaugeSource {
  /** Ready messages per logical queue name (consumed queues and their DLQs). */
  queueDepths(): Promise<Record<string, number>>;
  buffered(): number;
  connected(): boolean;
}

/**
 * The bus's Prometheus metrics, labelled by logical queue or exchange name (without the namespace), so
 * dashboards and alerts read the same in every environment.
 */
export class BusMetrics {
  readonly published: Counter<'destination'>;
  readonly publishFailed: Counter<'destination' | 'code'>;
  readonly consumed: Counter<'queue' | 'outcome'>;
  readonly handlerSeconds: Histogram<'queue'>;
  readonly queueMessages: Gauge<'queue'>;
  readonly buffered: Gauge;
  readonly connected: Gauge;

  constructor(registry: Registry | undefined, source: BusGaugeSource) {
    const registers = registry ? [registry] : [];
    this.published = new Counter({
      name: 'bus_messages_published_total',
      help: 'Messages the broker confirmed, by exchange or queue',
      labelNames: ['destination'],
      registers,
    });
    this.publishFailed = new Counter({
      name: 'bus_publish_failures_total',
      help: 'Publishes that failed (buffer full, broker nack, bus closed), by exchange or queue',
      labelNames: ['destination', 'code'],
      registers,
    });
    this.consumed = new Counter({
      name: 'bus_messages_consumed_total',
      help: 'Deliveries settled by a consumer, by queue and outcome (acked, retried, dead_lettered, requeued)',
      labelNames: ['queue', 'outcome'],
      registers,
    });
    this.handlerSeconds = new Histogram({
      name: 'bus_handler_duration_seconds',
      help: 'Time from delivery to the handler settling, by queue',
      labelNames: ['queue'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
    this.queueMessages = new Gauge({
      name: 'bus_queue_messages',
      help: 'Messages ready in a consumed queue or its dead-letter queue (consumer lag), read at scrape time',
      labelNames: ['queue'],
      registers,
      async collect() {
        this.reset();
        const depths = await source.queueDepths().catch(() => ({}));
        for (const [queue, count] of Object.entries(depths)) this.set({ queue }, count);
      },
    });
    this.buffered = new Gauge({
      name: 'bus_publish_buffered',
      help: 'Messages held in memory waiting for the broker',
      registers,
      collect() {
        this.set(source.buffered());
      },
    });
    this.connected = new Gauge({
      name: 'bus_connected',
      help: '1 while connected to the broker with the topology asserted',
      registers,
      collect() {
        this.set(source.connected() ? 1 : 0);
      },
    });
  }
}
