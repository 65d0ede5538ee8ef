import { type PrincipalRef, principalSearchLimits, type SearchResult } from '@gatehouse/contracts';
import { type KeyboardEvent, type RefObject, useId, useRef, useState } from 'react';
import { Spinner } from '../../../components/ui/spinner';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { usePrincipalSearch } from '../api/search-principals';
import { principalKey } from '../share-draft';
import { PrincipalAvatar, principalDetail, SourceBadge } from './principal-avatar';

/** How long typing has to pause before a search is sent. */
export const searchDebounceMs = 250;

export type PeoplePickerProps = {
  /** The people and groups picked so far (the chips). */
  picked: SearchResult[];
  onPick: (principal: SearchResult) => void;
  onUnpick: (principal: PrincipalRef) => void;
  /** Why a result can't be picked again ("has access", "added"), or null. */
  statusOf: (principal: PrincipalRef) => string | null;
  /** The combobox input, for whoever places the focus (the dialog, on open). */
  inputRef?: RefObject<HTMLInputElement | null>;
};

function searchSummary(count: number, partial: boolean, query: string): string {
  if (count === 0) {
    return partial
      ? `No matches for “${query}” so far: part of the directory could not be searched.`
      : `No people or groups match “${query}”.`;
  }
  const results = `${count} ${count === 1 ? 'result' : 'results'}`;
  return partial
    ? `${results}, but part of the directory could not be searched. Use the up and down arrows to choose.`
    : `${results}. Use the up and down arrows to choose.`;
}

/**
 * The people picker: a WAI-ARIA 1.2 combobox (list autocomplete, manual selection) with the picked
 * principals as chips before the input. Down/Up move through the results (and open them), Enter picks
 * the active one, Escape closes the list (then clears the text; only then does it reach the dialog),
 * Backspace in an empty box removes the last chip. A polite live region says how many results came
 * back, whether they are partial, and what was added or removed.
 */
export function PeoplePicker({ picked, onPick, onUnpick, statusOf, inputRef: givenRef }: PeoplePickerProps) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  // The active option by principal, not by index: the merged answer may reorder the local matches.
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const ownRef = useRef<HTMLInputElement>(null);
  const inputRef = givenRef ?? ownRef;
  const ids = { input: useId(), listbox: useId(), hint: useId(), notice: useId() };

  const query = text.trim();
  const debounced = useDebouncedValue(query, searchDebounceMs);
  const search = usePrincipalSearch(debounced, true);
  const longEnough = query.length >= principalSearchLimits.minQuery;
  // Results belong to what is in the box only once the debounced query has caught up with it.
  const current = longEnough && debounced === query;
  const settled = current && search.phase === 'done';
  // This query's local matches are on screen; the directory's answer is still to come.
  const directoryPending = current && search.phase === 'local';
  const failed = current && search.phase === 'error' ? search : null;
  const results = longEnough ? search.results : [];
  const isSearching = longEnough && !settled && !failed;
  const expanded = open && longEnough;
  const active = activeKey === null ? -1 : results.findIndex((r) => principalKey(r) === activeKey);
  const activeResult = expanded ? results[active] : undefined;
  const optionId = (index: number) => `${ids.listbox}-option-${index}`;
  const setActive = (index: number) => {
    const result = results[index];
    setActiveKey(result ? principalKey(result) : null);
  };

  // What the user just did (added, removed) wins; typing clears it, and then the results speak.
  const resultsText = !expanded
    ? ''
    : failed
      ? `Search failed: ${failed.error.message}`
      : search.phase === 'done' && settled
        ? searchSummary(results.length, search.partial, query)
        : directoryPending && results.length > 0
          ? `${results.length} ${results.length === 1 ? 'result' : 'results'} so far, still searching the directory.`
          : '';
  const liveText = announcement || resultsText;

  const pick = (result: SearchResult) => {
    const status = statusOf(result);
    if (status) {
      setAnnouncement(`${result.name} ${status}.`);
      return;
    }
    onPick(result);
    setAnnouncement(`${result.name} added.`);
    setText('');
    setOpen(false);
    setActive(-1);
    inputRef.current?.focus();
  };

  const move = (step: 1 | -1) => {
    if (results.length === 0) return;
    if (!expanded) {
      setOpen(true);
      setActive(step === 1 ? 0 : results.length - 1);
      return;
    }
    setActive((active + step + results.length) % results.length);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        event.preventDefault();
        move(event.key === 'ArrowDown' ? 1 : -1);
        return;
      case 'Enter':
        // Never submits anything: Enter in the box only ever picks.
        event.preventDefault();
        if (activeResult) pick(activeResult);
        return;
      case 'Escape':
        if (expanded) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (text) {
          event.preventDefault();
          setText('');
        }
        return;
      case 'Backspace': {
        const last = picked.at(-1);
        if (text === '' && last) {
          event.preventDefault();
          onUnpick(last);
          setAnnouncement(`${last.name} removed.`);
        }
        return;
      }
      case 'Tab':
        setOpen(false);
        return;
    }
  };

  return (
    <div className="gh-picker">
      <label htmlFor={ids.input} className="gh-field__label">
        Add people and groups
      </label>
      <div className="gh-picker__anchor">
        <div className="gh-picker__field">
          {picked.length > 0 ? (
            <ul className="gh-picker__chips" aria-label="To be added">
              {picked.map((principal) => (
                <li key={principalKey(principal)} className="gh-chip-picked">
                  <PrincipalAvatar principal={principal} name={principal.name} />
                  <span className="gh-chip-picked__name">{principal.name}</span>
                  {principal.type === 'group' && principal.memberCount !== undefined ? (
                    <span className="gh-chip-picked__count">{principal.memberCount}</span>
                  ) : null}
                  <SourceBadge source={principal.source} />
                  <button
                    type="button"
                    className="gh-icon-button gh-icon-button--sm"
                    aria-label={`Remove ${principal.name}`}
                    onClick={() => {
                      onUnpick(principal);
                      setAnnouncement(`${principal.name} removed.`);
                      inputRef.current?.focus();
                    }}
                  >
                    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
                      <path
                        d="M4 4l8 8M12 4l-8 8"
                        stroke="currentColor"
                        strokeWidth="2"
                        strokeLinecap="round"
                      />
                    </svg>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <input
            ref={inputRef}
            id={ids.input}
            className="gh-picker__input"
            type="text"
            role="combobox"
            autoComplete="off"
            spellCheck={false}
            aria-autocomplete="list"
            aria-expanded={expanded}
            aria-controls={ids.listbox}
            aria-activedescendant={activeResult ? optionId(active) : undefined}
            aria-describedby={ids.hint}
            placeholder={picked.length > 0 ? 'Add more…' : 'Name, email or group'}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setOpen(true);
              setActive(-1);
              setAnnouncement('');
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setOpen(false)}
          />
          {isSearching ? <Spinner size="sm" label={null} /> : null}
        </div>
        <div className="gh-picker__popup" hidden={!expanded}>
          <div
            id={ids.listbox}
            role="listbox"
            aria-label="People and groups"
            aria-busy={!settled || undefined}
            className={
              settled || directoryPending || failed
                ? 'gh-picker__list'
                : 'gh-picker__list gh-picker__list--stale'
            }
          >
            {results.map((result, index) => {
              const status = statusOf(result);
              return (
                // Options never take the focus: the input keeps it and points here with aria-activedescendant.
                // biome-ignore lint/a11y/useFocusableInteractive: see above (WAI-ARIA combobox pattern).
                // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles every key.
                <div
                  key={principalKey(result)}
                  id={optionId(index)}
                  role="option"
                  aria-selected={index === active}
                  aria-disabled={status ? true : undefined}
                  className="gh-picker__option"
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => pick(result)}
                >
                  <PrincipalAvatar principal={result} name={result.name} withPhoto={false} />
                  <span className="gh-picker__option-text">
                    <span className="gh-picker__option-name" title={result.name}>
                      {result.name}
                    </span>
                    <span className="gh-picker__option-detail" title={principalDetail(result)}>
                      {principalDetail(result)}
                    </span>
                    {/* Under the name, not beside it: on a phone there's no room for both on one line. */}
                    {status ? <span className="gh-picker__option-status">{status}</span> : null}
                  </span>
                  <SourceBadge source={result.source} />
                </div>
              );
            })}
          </div>
          {failed ? (
            <p className="gh-picker__message gh-picker__message--error">
              Search didn't work: {failed.error.message}
            </p>
          ) : directoryPending ? (
            <p className="gh-picker__message gh-picker__pending">
              <Spinner size="sm" label={null} />
              Searching the directory…
            </p>
          ) : results.length === 0 && settled ? (
            <p className="gh-picker__message">No people or groups match “{query}”.</p>
          ) : results.length === 0 ? (
            <p className="gh-picker__message">Searching…</p>
          ) : null}
          {settled && search.phase === 'done' && search.partial ? (
            <div id={ids.notice} className="gh-picker__partial">
              <p className="gh-picker__partial-title">Some results may be missing</p>
              <ul>
                {(search.reasons.length
                  ? search.reasons
                  : ['Part of the directory could not be searched.']
                ).map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      </div>
      <p id={ids.hint} className="gh-field__hint">
        Type at least {principalSearchLimits.minQuery} characters. Backspace in the empty box removes the last
        one added.
      </p>
      <p className="gh-visually-hidden" role="status" aria-live="polite">
        {liveText}
      </p>
    </div>
  );
}
