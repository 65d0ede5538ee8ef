export function SkipLink({ target = 'main' }: { target?: string }) {
  return (
    <a className="gh-skip-link" href={`#${target}`}>
      Skip to main content
    </a>
  );
}
