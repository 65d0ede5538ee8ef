import { RetryAlert } from './alert';
import { Button, type ButtonVariant } from './button';

/** What a paged query (TanStack's infinite query) tells the button. */
export type PagedQuery = {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  error: Error | null;
  fetchNextPage: () => unknown;
};

export type LoadMoreProps = {
  query: PagedQuery;
  /** The button: "Show more", "Show earlier messages". */
  label: string;
  /** Said when the next page fails, with Try again; what was loaded stays. */
  errorTitle: string;
  variant?: ButtonVariant;
};

/** The next page of a list on demand, its loading state, and its failure; nothing on the last page. */
export function LoadMore({ query, label, errorTitle, variant = 'secondary' }: LoadMoreProps) {
  if (query.isFetchNextPageError) {
    return (
      <RetryAlert title={errorTitle} onRetry={() => query.fetchNextPage()}>
        {query.error?.message}
      </RetryAlert>
    );
  }
  if (!query.hasNextPage) return null;
  return (
    <div className="gh-load-more">
      <Button variant={variant} isLoading={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
        {label}
      </Button>
    </div>
  );
}
