import { lazy, Suspense, useState } from 'react';

const EmojiPicker = lazy(() => import('./emoji-picker.js'));

/** A button that opens the emoji picker (fetched on the first click) and hands over the chosen emoji. */
export function EmojiButton({
  label,
  content,
  onPick,
}: {
  /** The button's accessible name, also the picker's title. */
  label: string;
  content: string;
  onPick(emoji: string): void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-label={label}
        aria-haspopup="dialog"
        title={label}
        onClick={() => setOpen(true)}
      >
        {content}
      </button>
      {open ? (
        <Suspense fallback={null}>
          <EmojiPicker
            title={label}
            onClose={() => setOpen(false)}
            onPick={(emoji) => {
              setOpen(false);
              onPick(emoji);
            }}
          />
        </Suspense>
      ) : null}
    </>
  );
}
