import type { StackConfig } from './config.js';
import { mailSinkOptions } from './local-mail.js';
import { SERVICE_HOST, type ServiceSpec } from './service-table.js';

/** A port something of this run will listen on. */
export interface PortClaim {
  label: string;
  port: number;
  host: string;
}

const MAIL_LABELS = new Set(['mail sink', 'mail inbox']);

/** The launcher's own listeners: the edge, plus the mail sink and its inbox when a sink starts. */
export function ownPorts(
  config: Pick<StackConfig, 'EDGE_PORT' | 'EDGE_HOST' | 'MAIL_SINK_SMTP_PORT' | 'MAIL_SINK_HTTP_PORT'>,
  mailSink: boolean,
): PortClaim[] {
  const claims = [{ label: 'edge', port: config.EDGE_PORT, host: config.EDGE_HOST }];
  if (mailSink) {
    const sink = mailSinkOptions(config);
    claims.push(
      { label: 'mail sink', port: sink.smtpPort, host: sink.host },
      { label: 'mail inbox', port: sink.httpPort, host: sink.host },
    );
  }
  return claims;
}

/** `ownPorts` as the extra owners that findPortClashes weighs against the service table. */
export function ownersByLabel(claims: readonly PortClaim[]): Record<string, number> {
  return Object.fromEntries(claims.map((claim) => [claim.label, claim.port]));
}

/** Every fixed listener of the run, services included, to probe before starting; port 0 is always free. */
export function portClaims(runnable: readonly ServiceSpec[], own: readonly PortClaim[]): PortClaim[] {
  return [
    ...own,
    ...runnable.flatMap((s) => [
      { label: s.name, port: s.port, host: SERVICE_HOST },
      { label: `${s.name} metrics`, port: s.metricsPort, host: SERVICE_HOST },
      ...(s.grpcPort === undefined
        ? []
        : [{ label: `${s.name} gRPC`, port: s.grpcPort, host: SERVICE_HOST }]),
    ]),
  ].filter((claim) => claim.port !== 0);
}

/** The start-up failure for ports already taken, with the way out that fits them. */
export function busyMessage(busy: readonly PortClaim[]): string {
  const list = busy.map((b) => `${b.host}:${b.port} (${b.label})`).join(', ');
  const lines = [
    `Already in use: ${list}. Is another \`pnpm start\` still running? Stop it, or free these ports.`,
  ];
  if (busy.some((b) => MAIL_LABELS.has(b.label))) {
    lines.push(
      'For the mail sink: if a mail catcher (MailHog, Mailpit) listens there, send to it with ' +
        'SMTP_HOST=127.0.0.1 SMTP_PORT=<its port>, or move the sink with MAIL_SINK_SMTP_PORT / MAIL_SINK_HTTP_PORT.',
    );
  }
  return lines.join('\n');
}
