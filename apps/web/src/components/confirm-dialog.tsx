import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A modal question before something hard to undo. The native <dialog> traps focus, answers Escape
 * (as "no") and returns focus to the control that opened it when it closes.
 */
export function ConfirmDialog({
  question,
  onConfirm,
  onCancel,
}: {
  question: string;
  onConfirm(): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm"
      role="alertdialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-question"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id="confirm-title">{t('admin.confirmTitle')}</h2>
      <p id="confirm-question">{question}</p>
      <div className="buttons">
        <button type="button" onClick={onCancel} autoFocus>
          {t('admin.no')}
        </button>
        <button type="button" className="primary" onClick={onConfirm}>
          {t('admin.yes')}
        </button>
      </div>
    </dialog>
  );
}
