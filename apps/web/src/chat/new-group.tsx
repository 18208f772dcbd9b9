import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Field, FormError } from '../components/form-parts.js';
import { text, useSubmit } from '../components/use-submit.js';
import { conversationPath } from '../page-paths.js';
import { useSession, useUser } from '../session/session-context.js';
import { useChat } from './chat-provider.js';
import { knownPeople } from './people-known.js';
import { personLabel } from './people.js';

/** "New group": a dialog with the name and the people to add from those the caller has met. */
export function NewGroupButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="new-group" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t('groups.new')}
      </button>
      {open ? <NewGroupDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function NewGroupDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const me = useUser().id;
  const { state, actions } = useChat();
  const navigate = useNavigate();
  const ref = useRef<HTMLDialogElement>(null);
  const people = knownPeople(state, me);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const { busy, error, onSubmit } = useSubmit(async (form) => {
    const members = form.getAll('member').filter((v): v is string => typeof v === 'string');
    const extra = text(form, 'userId').trim();
    if (extra !== '') members.push(extra);
    const group = await api.createGroup({ body: { name: text(form, 'name'), members } });
    const conversations = await actions.refreshConversations();
    const conversation = conversations.find((c) => c.channel === group.id);
    onClose();
    if (conversation) void navigate(conversationPath(conversation.id));
  });
  return (
    <dialog
      ref={ref}
      aria-labelledby="new-group-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id="new-group-title">{t('groups.new')}</h2>
      <form onSubmit={onSubmit}>
        <Field label={t('groups.name')} name="name" required maxLength={100} autoFocus />
        {people.length > 0 ? (
          <fieldset>
            <legend>{t('groups.members')}</legend>
            {people.map((id) => (
              <div className="check" key={id}>
                <input id={`member-${id}`} type="checkbox" name="member" value={id} />
                <label htmlFor={`member-${id}`}>{personLabel(id, me, state.names)}</label>
              </div>
            ))}
          </fieldset>
        ) : null}
        <Field
          label={t('groups.userId')}
          name="userId"
          hint={t('groups.userIdHint')}
          pattern="[0-9a-fA-F-]{36}"
        />
        <FormError message={error} />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('chat.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('groups.create')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
