export type SpinnerProps = {
  size?: 'sm' | 'md' | 'lg';
  /** Announced text; `null` when the spinner sits in a control that is already labelled. */
  label?: string | null;
};

export function Spinner({ size = 'md', label = 'Loading…' }: SpinnerProps) {
  return (
    <span className={`gh-spinner gh-spinner--${size}`} role={label ? 'status' : undefined}>
      <span className="gh-spinner__ring" aria-hidden="true" />
      {label ? <span className="gh-visually-hidden">{label}</span> : null}
    </span>
  );
}
