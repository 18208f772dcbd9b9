import type { ListUsersQuery } from '@platform/contracts';
import type { EntityManager } from '@platform/db';
import { auditEntry, type AuditContext } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { DirectoryService } from './directory.service.js';

/**
 * The directory's reads as admins make them: each answer, once read, leaves an audit record of who
 * looked (recorded after the read, as it always was, so a failed read records nothing).
 */
export class AuditedDirectory {
  constructor(
    private readonly directory: DirectoryService,
    private readonly events: EventSink,
    private readonly em: EntityManager,
  ) {}

  async summary(audit: AuditContext) {
    const summary = await this.directory.summary();
    await this.events.record(this.em, 'log.audit', auditEntry(audit, { action: 'admin.summary.read' }));
    return summary;
  }

  async list(query: ListUsersQuery, audit: AuditContext, offset?: number) {
    const page = await this.directory.list(query, offset);
    await this.events.record(
      this.em,
      'log.audit',
      auditEntry(audit, {
        action: 'users.list',
        after: { ...query, ...(offset === undefined ? {} : { offset }) },
      }),
    );
    return page;
  }

  async get(id: string, audit: AuditContext) {
    const user = await this.directory.get(id);
    await this.events.record(this.em, 'log.audit', auditEntry(audit, { action: 'users.read', targetId: id }));
    return user;
  }
}
