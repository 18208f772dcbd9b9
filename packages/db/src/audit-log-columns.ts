/**
 * The descriptive columns of `audit_logs` (snake_case, as the driver reads and writes them), shared by
 * worker-logs, which writes rows, and admin, which reads them. Ids, times and the JSON columns differ
 * in shape between writing and reading and are declared by each side.
 */
export interface AuditLogColumns {
  kind: 'request' | 'audit';
  service: string;
  request_id: string | null;
  action: string | null;
  actor_id: string | null;
  target_id: string | null;
  user_id: string | null;
  method: string | null;
  path: string | null;
  status: number | null;
  duration_ms: number | null;
  ip: string | null;
  user_agent: string | null;
}
