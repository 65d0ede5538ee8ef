/** The File Picker v8 options the emulated page honours, read from the `filePicker` query parameter. */
export interface PickerOptions {
  messaging: {
    origin: string;
    channelId: string;
    acknowledgeTimeout: number;
    resultTimeout: number;
    initializeTimeout: number;
  };
  /** The host handles tokens (`authenticate` commands); without it the page uses the posted token. */
  authentication: boolean;
  selection: { mode: 'single' | 'multiple'; maximumCount: number | null };
  typesAndSources: { mode: 'files' | 'folders' | 'all'; filters: string[]; pivots: PickerPivots | null };
  search: boolean;
  pickLabel: string;
  closeLabel: string;
  /** `commands.pick.select.urls.download`: picked files carry `@microsoft.graph.downloadUrl`. */
  download: boolean;
  title: string;
}

/**
 * `typesAndSources.pivots`: which locations the left navigation offers (null: the option was not given, so
 * all of them). The entry location is always offered.
 */
export interface PickerPivots {
  /** My files. */
  oneDrive: boolean;
  /** Every site the user may read (`sharedLibraries`, "Quick access", or `myOrganization`). */
  sites: boolean;
  /** Recent: the files most recently changed in every location offered (see docs/emulator.md). */
  recent: boolean;
}

/** Where the picker opens: a site's library (`entry.sharePoint`, `byPath.web`) or My files. */
export type PickerEntry = { sharePoint?: boolean; siteUrl?: string };

export class PickerOptionsError extends Error {}

const FILTERS = [
  'folder',
  'site',
  'documentLibrary',
  'list',
  'onenote',
  'file',
  'media',
  'photo',
  'video',
  'audio',
  'document',
  'listItem',
  'playlist',
  'syntexTemplate',
  'syntexSnippet',
  'syntexField',
];

/**
 * Parses the options as the real picker reads them; `maximumCount` is the documented name and `maxCount`
 * the older SDKs' (both accepted). Errors name the option, as the page shows them.
 */
export function parsePickerOptions(text: string | undefined): { options: PickerOptions; entry: PickerEntry } {
  if (!text)
    throw new PickerOptionsError(
      'The filePicker query parameter is missing: post the options as JSON in it.',
    );
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new PickerOptionsError('The filePicker query parameter is not valid JSON.');
  }
  if (!isObject(raw)) throw new PickerOptionsError('The filePicker options must be a JSON object.');
  const messaging = isObject(raw.messaging) ? raw.messaging : {};
  const origin = typeof messaging.origin === 'string' ? messaging.origin : '';
  if (!origin)
    throw new PickerOptionsError("No specified origin: set messaging.origin to the host page's origin.");
  if (
    !URL.canParse(origin) ||
    new URL(origin).origin !== origin ||
    !/^https?:$/.test(new URL(origin).protocol)
  ) {
    throw new PickerOptionsError(
      `messaging.origin must be an origin such as https://app.contoso.com, got "${origin}".`,
    );
  }
  const channelId = messaging.channelId;
  if (typeof channelId !== 'string' || channelId.length === 0) {
    throw new PickerOptionsError(
      'messaging.channelId is required: a string the host uses to recognise this picker.',
    );
  }
  const timeout = (name: string, fallback: number) => {
    const value = messaging[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      throw new PickerOptionsError(`messaging.${name} must be a positive number of milliseconds.`);
    return value;
  };

  const selection = isObject(raw.selection) ? raw.selection : {};
  const mode = selection.mode ?? 'single';
  if (mode !== 'single' && mode !== 'multiple' && mode !== 'pick')
    throw new PickerOptionsError(`selection.mode must be single, multiple or pick, got "${String(mode)}".`);
  const count = selection.maximumCount ?? selection.maxCount;
  if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1))
    throw new PickerOptionsError('selection.maximumCount must be a whole number of at least 1.');

  const types = isObject(raw.typesAndSources) ? raw.typesAndSources : {};
  const typesMode = types.mode ?? 'all';
  if (typesMode !== 'files' && typesMode !== 'folders' && typesMode !== 'all')
    throw new PickerOptionsError(
      `typesAndSources.mode must be files, folders or all, got "${String(typesMode)}".`,
    );
  const filters = types.filters ?? [];
  if (
    !Array.isArray(filters) ||
    filters.some((f) => typeof f !== 'string' || !(f.startsWith('.') || FILTERS.includes(f)))
  )
    throw new PickerOptionsError(
      `typesAndSources.filters must list extensions (".pdf") or kinds (${FILTERS.join(', ')}).`,
    );

  const pivots = types.pivots;
  if (
    pivots !== undefined &&
    (!isObject(pivots) || Object.values(pivots).some((v) => typeof v !== 'boolean'))
  )
    throw new PickerOptionsError('typesAndSources.pivots must map pivot names to true or false.');

  const commands = isObject(raw.commands) ? raw.commands : {};
  const pick = isObject(commands.pick) ? commands.pick : {};
  const close = isObject(commands.close) ? commands.close : {};
  const select = isObject(pick.select) ? pick.select : {};
  const urls = isObject(select.urls) ? select.urls : {};
  const search = isObject(raw.search) ? raw.search : {};

  return {
    options: {
      messaging: {
        origin,
        channelId,
        acknowledgeTimeout: timeout('acknowledgeTimeout', 3000),
        resultTimeout: timeout('resultTimeout', 60000),
        initializeTimeout: timeout('initializeTimeout', 10000),
      },
      authentication: raw.authentication !== undefined,
      selection: {
        mode: mode === 'multiple' ? 'multiple' : 'single',
        maximumCount: mode === 'multiple' ? ((count as number | undefined) ?? null) : 1,
      },
      typesAndSources: {
        mode: typesMode,
        filters: filters as string[],
        pivots: pivots
          ? {
              oneDrive: pivots.oneDrive === true,
              sites: pivots.sharedLibraries === true || pivots.myOrganization === true,
              recent: pivots.recent === true,
            }
          : null,
      },
      search: search.enabled !== false,
      pickLabel: typeof pick.label === 'string' && pick.label ? pick.label : 'Select',
      closeLabel: typeof close.label === 'string' && close.label ? close.label : 'Cancel',
      download: urls.download === true,
      title: typeof raw.title === 'string' && raw.title ? raw.title : 'Select a file',
    },
    entry: entryOf(raw.entry),
  };
}

function entryOf(entry: unknown): PickerEntry {
  if (!isObject(entry) || !isObject(entry.sharePoint)) return {};
  const byPath = isObject(entry.sharePoint.byPath) ? entry.sharePoint.byPath : {};
  return typeof byPath.web === 'string'
    ? { sharePoint: true, siteUrl: byPath.web.replace(/\/$/, '') }
    : { sharePoint: true };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
