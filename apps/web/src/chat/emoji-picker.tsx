import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EMOJI_GROUPS } from './emoji-data.js';

type GroupName =
  'smileys' | 'people' | 'hearts' | 'nature' | 'food' | 'activities' | 'travel' | 'objects' | 'symbols';

interface Props {
  /** What the emoji is for: names the dialog ("Add a reaction", "Insert emoji"). */
  title: string;
  onPick(emoji: string): void;
  onClose(): void;
}

/**
 * The emoji picker: a modal dialog (focus stays inside, Escape closes it and focus returns to the
 * button that opened it) with a name filter and one button per emoji, named by its Unicode name.
 * This module and its data are a chunk of their own, loaded the first time a picker opens.
 */
export default function EmojiPicker({ title, onPick, onClose }: Props) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const [filter, setFilter] = useState('');
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const groups = useMemo(() => {
    const words = filter.trim().toLowerCase();
    if (words === '') return EMOJI_GROUPS;
    return EMOJI_GROUPS.map((g) => ({
      ...g,
      emoji: g.emoji.filter(([, name]) => name.includes(words)),
    })).filter((g) => g.emoji.length > 0);
  }, [filter]);
  return (
    <dialog
      ref={ref}
      className="emoji-picker"
      aria-label={title}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop (the dialog itself, outside its content) closes it.
        if (event.target === ref.current) onClose();
      }}
    >
      <div className="emoji-head">
        <label>
          {t('emoji.search')}{' '}
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} autoFocus />
        </label>
        <button type="button" onClick={onClose}>
          {t('chat.cancel')}
        </button>
      </div>
      <div className="emoji-groups">
        {groups.length === 0 ? <p>{t('emoji.none')}</p> : null}
        {groups.map((group) => (
          <div key={group.group} role="group" aria-label={t(`emoji.groups.${group.group as GroupName}`)}>
            <h3>{t(`emoji.groups.${group.group as GroupName}`)}</h3>
            {group.emoji.map(([emoji, name]) => (
              <button
                key={emoji}
                type="button"
                className="emoji"
                aria-label={name}
                title={name}
                onClick={() => onPick(emoji)}
              >
                {emoji}
              </button>
            ))}
          </div>
        ))}
      </div>
    </dialog>
  );
}
