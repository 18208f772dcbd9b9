import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { FormError, FormStatus } from '../components/form-parts.js';
import { failureText } from '../i18n/failure-text.js';
import { PAGES } from '../page-paths.js';
import type { Conversation, GroupMember } from '../sdk.js';
import { useSession, useUser } from '../session/session-context.js';
import { useChat } from './chat-provider.js';
import { knownPeople } from './people-known.js';
import { personLabel } from './people.js';
import { PresenceDot } from './presence-dot.js';

/**
 * A group's members (live presence, roles), and what the caller may do: owners invite, change roles
 * and remove; anyone leaves. The server decides (a member's attempt is refused); the controls only
 * show what would be allowed.
 */
export function GroupPanel({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const me = useUser().id;
  const { state, actions } = useChat();
  const navigate = useNavigate();
  const groupId = conversation.channel ?? '';
  const group = state.groups[groupId];
  const [open, setOpen] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  useEffect(() => {
    if (groupId !== '') void actions.loadGroup(groupId).catch(() => undefined);
  }, [groupId, actions]);

  const owner = group?.members.some((m) => m.userId === me && m.role === 'owner') ?? false;
  const run = (work: () => Promise<unknown>, done: string) => {
    setError(null);
    setStatus(null);
    work()
      .then(() => setStatus(done))
      .catch((failure: unknown) => setError(failureText(failure, t)))
      .finally(() => void actions.loadGroup(groupId).catch(() => undefined));
  };
  const name = (m: GroupMember) => (m.userId === me ? t('chat.you') : m.displayName);
  const invitable = knownPeople(state, me).filter((id) => !group?.members.some((m) => m.userId === id));

  return (
    <div className="group-panel">
      <button type="button" aria-expanded={open} aria-controls="group-members" onClick={() => setOpen(!open)}>
        {t('groups.membersCount', { count: group?.members.length ?? 0 })}
      </button>
      <button type="button" onClick={() => setLeaving(true)}>
        {t('groups.leave')}
      </button>
      {leaving ? (
        <ConfirmDialog
          question={t('groups.leaveQuestion', { name: conversation.name ?? '' })}
          onCancel={() => setLeaving(false)}
          onConfirm={() => {
            setLeaving(false);
            api.removeGroupMember({ params: { id: groupId, userId: 'me' } }).then(
              () => {
                actions.left(conversation.id);
                void navigate(PAGES.messages);
              },
              (failure: unknown) => setError(failureText(failure, t)),
            );
          }}
        />
      ) : null}
      <FormError message={error} />
      <FormStatus message={status} />
      {open && group ? (
        <section id="group-members" aria-label={t('groups.members')}>
          <ul>
            {group.members.map((m) => (
              <li key={m.userId}>
                <PresenceDot userId={m.userId} /> {name(m)} <small>({t(`groups.roles.${m.role}`)})</small>
                {owner && m.userId !== me ? (
                  <>
                    <select
                      aria-label={t('groups.roleOf', { name: m.displayName })}
                      value={m.role}
                      onChange={(e) =>
                        run(
                          () =>
                            api.setGroupMemberRole({
                              params: { id: groupId, userId: m.userId },
                              body: { role: e.target.value === 'owner' ? 'owner' : 'member' },
                            }),
                          t('admin.done', { name: m.displayName }),
                        )
                      }
                    >
                      <option value="member">{t('groups.roles.member')}</option>
                      <option value="owner">{t('groups.roles.owner')}</option>
                    </select>
                    <button
                      type="button"
                      onClick={() =>
                        run(
                          () => api.removeGroupMember({ params: { id: groupId, userId: m.userId } }),
                          t('admin.done', { name: m.displayName }),
                        )
                      }
                    >
                      {t('groups.remove', { name: m.displayName })}
                    </button>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
          {owner ? (
            <form
              onSubmit={(event) => {
                event.preventDefault();
                const form = new FormData(event.currentTarget);
                const picked = String(form.get('person') ?? '');
                const typed = String(form.get('userId') ?? '').trim();
                const userId = typed || picked;
                if (userId === '') return;
                event.currentTarget.reset();
                run(
                  () => api.addGroupMember({ params: { id: groupId }, body: { userId } }),
                  t('groups.invited', { name: personLabel(userId, me, state.names) }),
                );
              }}
            >
              <label>
                {t('groups.invite')}{' '}
                <select name="person" defaultValue="">
                  <option value="">—</option>
                  {invitable.map((id) => (
                    <option key={id} value={id}>
                      {personLabel(id, me, state.names)}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <label>
                {t('groups.userId')} <input name="userId" pattern="[0-9a-fA-F-]{36}" />
              </label>{' '}
              <button type="submit">{t('groups.add')}</button>
            </form>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
