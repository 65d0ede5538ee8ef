import type { HTMLAttributes, ReactNode } from 'react';

export type CardProps = HTMLAttributes<HTMLElement> & {
  /** Renders as a `section` named by its title when given (a landmark-free, labelled region). */
  title?: ReactNode;
  titleId?: string;
  headingLevel?: 1 | 2 | 3;
  actions?: ReactNode;
};

export function Card({ title, titleId, headingLevel = 2, actions, className, children, ...rest }: CardProps) {
  const Heading = `h${headingLevel}` as const;
  return (
    <section
      className={['gh-card', className].filter(Boolean).join(' ')}
      aria-labelledby={title && titleId ? titleId : undefined}
      {...rest}
    >
      {title || actions ? (
        <div className="gh-card__header">
          {title ? (
            <Heading id={titleId} className="gh-card__title">
              {title}
            </Heading>
          ) : null}
          {actions ? <div className="gh-card__actions">{actions}</div> : null}
        </div>
      ) : null}
      {children}
    </section>
  );
}
