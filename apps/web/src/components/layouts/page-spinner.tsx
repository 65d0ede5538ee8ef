import { Spinner } from '../ui/spinner';
import './layouts.css';

/** While a route's code loads: centred, announced, and no jump for the brand. */
export function PageSpinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="gh-page-spinner">
      <Spinner size="lg" label={label} />
    </div>
  );
}
