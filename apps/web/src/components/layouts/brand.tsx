/** The Gatehouse mark: a gate in a rounded square (same drawing as /favicon.svg). */
export function BrandMark({ size = 32 }: { size?: 24 | 32 | 40 }) {
  return (
    <svg
      className="gh-brand__mark"
      width={size}
      height={size}
      viewBox="0 0 32 32"
      aria-hidden="true"
      focusable="false"
    >
      <rect width="32" height="32" rx="8" className="gh-brand__mark-bg" />
      <path d="M9 25V13l7-5 7 5v12h-4.5v-6.5a2.5 2.5 0 0 0-5 0V25z" className="gh-brand__mark-fg" />
    </svg>
  );
}

export function Brand({ size = 32 }: { size?: 24 | 32 | 40 }) {
  return (
    <span className="gh-brand">
      <BrandMark size={size} />
      <span className="gh-brand__name">Gatehouse</span>
    </span>
  );
}
