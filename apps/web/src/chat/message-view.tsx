import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useUser } from '../session/session-context.js';
import { useChat } from './chat-provider.js';
import type { PendingMessage } from './chat-state.js';
import { FileChips, useComposerFiles } from './composer-files.js';
import { EmojiButton } from './emoji-button.js';
import { MessageLog } from './message-log.js';
import { personLabel } from './people.js';

interface Props {
  title: string;
  /** The stored conversation, or undefined for a direct one that has no message yet. */
  conversationId: string | undefined;
  /** Where a new message goes. */
  target: PendingMessage['target'];
  direct: boolean;
  /** A message to open the conversation at (a search hit): its id and seq. */
  focus?: { id: string; seq: number } | null;
  /** Beside the title: a presence dot, the group's members button. */
  header?: ReactNode;
}

/** The open conversation: its virtualised history, typing, and the composer with emoji. */
export function MessageView({ title, conversationId, target, direct, focus = null, header }: Props) {
  const { t } = useTranslation();
  const me = useUser().id;
  const { state, actions } = useChat();
  const [draft, setDraft] = useState('');
  const files = useComposerFiles();
  const [dragging, setDragging] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const messages = conversationId ? state.messages[conversationId] : undefined;
  const targetKey = JSON.stringify(target);
  const pending = useMemo(
    () => state.pending.filter((p) => JSON.stringify(p.target) === targetKey),
    [state.pending, targetKey],
  );
  const typing = conversationId ? Object.keys(state.typing[conversationId] ?? {}) : [];
  const newest = messages?.at(-1);
  const loaded = messages !== undefined;

  useEffect(() => {
    actions.open(conversationId ?? null);
    return () => actions.open(null);
  }, [conversationId, actions]);

  // The first page once per conversation (later messages arrive on the socket), or the window around
  // a search hit that is not loaded yet.
  const focusSeq = focus?.seq;
  const focusLoaded = focus ? (messages ?? []).some((m) => m.id === focus.id) : true;
  useEffect(() => {
    if (!conversationId) return;
    if (focusSeq !== undefined && !focusLoaded)
      void actions.loadAround(conversationId, focusSeq).catch(() => undefined);
    else if (!loaded) void actions.loadHistory(conversationId).catch(() => undefined);
  }, [conversationId, focusSeq, focusLoaded, loaded, actions]);

  // Reading the newest message of someone else tells its sender (read receipt) and clears the unread count.
  useEffect(() => {
    if (newest && newest.from !== me && !state.hasNewer[newest.conversationId]) actions.markRead(newest.id);
  }, [newest, me, actions, state.hasNewer]);

  const onDraft = (value: string) => {
    setDraft(value);
    if (!conversationId) return;
    actions.typing(conversationId, value !== '');
  };

  const submit = () => {
    const text = draft.trim();
    if (files.busy || (text === '' && files.stored.length === 0)) return;
    actions.send(target, text, files.stored);
    setDraft('');
    files.clear();
  };

  const insertEmoji = (emoji: string) => {
    const element = field.current;
    const at = element?.selectionStart ?? draft.length;
    const end = element?.selectionEnd ?? at;
    setDraft(draft.slice(0, at) + emoji + draft.slice(end));
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(at + emoji.length, at + emoji.length);
    });
  };

  return (
    <section className="conversation" aria-labelledby="conversation-title">
      <div className="conversation-head">
        <h2 id="conversation-title">{title}</h2>
        {header}
      </div>
      <MessageLog
        conversationId={conversationId}
        pending={pending}
        direct={direct}
        focusId={focus?.id ?? null}
      />
      <p className="typing" aria-live="polite">
        {typing.length > 0
          ? t('chat.typing', { names: typing.map((id) => personLabel(id, me, state.names)).join(', ') })
          : ''}
      </p>
      <FileChips files={files} />
      <form
        className={dragging ? 'composer dragging' : 'composer'}
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
        onDragOver={(event) => {
          if (!event.dataTransfer.types.includes('Files')) return;
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          files.add([...event.dataTransfer.files]);
        }}
        onPaste={(event) => {
          const pasted = [...event.clipboardData.files];
          if (pasted.length === 0) return;
          event.preventDefault();
          files.add(pasted);
        }}
      >
        <label htmlFor="composer">{t('chat.message')}</label>
        <textarea
          id="composer"
          ref={field}
          value={draft}
          rows={2}
          maxLength={4000}
          onChange={(event) => onDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              submit();
            }
          }}
        />
        <EmojiButton label={t('chat.insertEmoji')} content="☺" onPick={insertEmoji} />
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          onChange={(event) => {
            files.add([...(event.target.files ?? [])]);
            event.target.value = '';
          }}
        />
        <button
          type="button"
          title={t('media.attach')}
          aria-label={t('media.attach')}
          onClick={() => picker.current?.click()}
        >
          📎
        </button>
        <button type="submit" disabled={files.busy}>
          {t('chat.send')}
        </button>
        {dragging ? <p className="drop-hint">{t('media.dropHere')}</p> : null}
      </form>
    </section>
  );
}
