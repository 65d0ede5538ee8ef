import { useState } from 'react';

/** "Adele Vance" → "AV"; "adele@contoso.test" → "A". */
export function initialsOf(name: string): string {
  const words = name
    .replace(/@.*$/, '')
    .split(/[\s._-]+/)
    .filter((word) => /\p{L}|\p{N}/u.test(word));
  const first = words[0]?.match(/\p{L}|\p{N}/u)?.[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1]?.match(/\p{L}|\p{N}/u)?.[0] ?? '') : '';
  return `${first}${last}`.toUpperCase() || '?';
}

export type AvatarProps = {
  name: string;
  /** A photo URL; initials are shown without one, or when it fails to load. */
  src?: string | null;
  size?: 'sm' | 'md' | 'lg';
  /** Decorative by default: the name is usually written right beside it. */
  decorative?: boolean;
};

export function Avatar({ name, src, size = 'md', decorative = true }: AvatarProps) {
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  const showPhoto = !!src && failedSrc !== src;
  const content = showPhoto ? (
    <img className="gh-avatar__img" src={src} alt="" onError={() => setFailedSrc(src)} />
  ) : (
    <span className="gh-avatar__initials">{initialsOf(name)}</span>
  );
  const className = `gh-avatar gh-avatar--${size}`;
  if (decorative) {
    return (
      <span className={className} aria-hidden="true" data-testid="avatar">
        {content}
      </span>
    );
  }
  return (
    <span className={className} role="img" aria-label={name} data-testid="avatar">
      {content}
    </span>
  );
}
