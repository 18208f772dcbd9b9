import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

/** A labelled input; the label is what screen readers (and the browser tests) find it by. */
export function Field({
  label,
  hint,
  ...input
}: { label: string; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? hintId : undefined} {...input} />
      {hint ? (
        <small id={hintId} className="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

/** A failure to read out at once (role=alert); nothing while there is none. */
export function FormError({ message }: { message: string | null }) {
  return message ? (
    <p role="alert" className="error">
      {message}
    </p>
  ) : null;
}

/** A success or progress line, announced politely. */
export function FormStatus({ message }: { message: string | null }) {
  return message ? (
    <p role="status" className="status">
      {message}
    </p>
  ) : null;
}
