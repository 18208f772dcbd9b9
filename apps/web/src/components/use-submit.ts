import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { failureText } from '../i18n/failure-text.js';

/** A form's submit handler with its busy flag and error text; the action's own errors become the text. */
export function useSubmit(action: (form: FormData) => Promise<void>) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    action(form)
      .catch((failure: unknown) => setError(failureText(failure, t)))
      .finally(() => setBusy(false));
  };
  return { busy, error, setError, onSubmit };
}

/** A text field of a submitted form ('' when absent). */
export function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
