export function Skeleton({
  width,
  height = 'md',
}: {
  width?: 'sm' | 'md' | 'lg' | 'full';
  height?: 'sm' | 'md' | 'lg';
}) {
  return (
    <span
      className={`gh-skeleton gh-skeleton--w-${width ?? 'full'} gh-skeleton--h-${height}`}
      aria-hidden="true"
    />
  );
}
