import { sharepointOrigin } from './resources';

/** The v8 options the host sends (`filePicker` JSON); only what Gatehouse sets. */
export type PickerOptions = {
  sdk: '8.0';
  entry: { sharePoint: Record<string, never> };
  /** Present (even empty): the host answers `authenticate`; required when the picker is framed. */
  authentication: Record<string, never>;
  messaging: { origin: string; channelId: string };
  selection: { mode: 'multiple'; maximumCount: number };
  typesAndSources: {
    mode: 'files';
    pivots: { oneDrive: boolean; recent: boolean; sharedLibraries: boolean; site: boolean };
  };
  search: { enabled: boolean };
};

export type PickerLaunchInput = {
  /** SHAREPOINT_BASE_URL from the public config (a site, or a `-my` OneDrive host). */
  baseUrl: string;
  /** The SPA's origin exactly (scheme, host, port): the picker posts its messages to it. */
  hostOrigin: string;
  /** A fresh one per opening (see `newChannelId`). */
  channelId: string;
  /** How many files one pick may hold (the BFF takes 20 per job). */
  maxItems: number;
  /** A SharePoint locale such as `en-us`. */
  locale?: string;
};

export type PickerLaunch = {
  /** `POST` target of the form: `{baseUrl}/_layouts/15/FilePicker.aspx?filePicker=…&locale=…`. */
  action: string;
  /** The picker's origin: the only origin whose `initialize` is accepted. */
  pickerOrigin: string;
  options: PickerOptions;
  /** The one form field besides the token (`access_token`), which the caller adds when it has it. */
  tokenField: 'access_token';
};

/** Builds the picker's form action and options. Throws TypeError on a base URL or origin that is not http(s). */
export function pickerLaunch(input: PickerLaunchInput): PickerLaunch {
  const pickerOrigin = sharepointOrigin(input.baseUrl);
  const hostOrigin = sharepointOrigin(input.hostOrigin);
  if (hostOrigin !== input.hostOrigin) {
    throw new TypeError(`picker-protocol: hostOrigin "${input.hostOrigin}" is not an origin`);
  }
  if (!Number.isInteger(input.maxItems) || input.maxItems < 1) {
    throw new TypeError('picker-protocol: maxItems must be a positive integer');
  }
  const options: PickerOptions = {
    sdk: '8.0',
    entry: { sharePoint: {} },
    authentication: {},
    messaging: { origin: hostOrigin, channelId: input.channelId },
    selection: { mode: 'multiple', maximumCount: input.maxItems },
    typesAndSources: {
      mode: 'files',
      pivots: { oneDrive: true, recent: true, sharedLibraries: true, site: true },
    },
    search: { enabled: true },
  };
  const base = new URL(input.baseUrl);
  const path = `${base.pathname.replace(/\/+$/, '')}/_layouts/15/FilePicker.aspx`;
  const action = new URL(path, base.origin);
  action.searchParams.set('filePicker', JSON.stringify(options));
  action.searchParams.set('locale', input.locale ?? 'en-us');
  return { action: action.href, pickerOrigin, options, tokenField: 'access_token' };
}

/** A fresh, unguessable channel id for one opening of the picker. */
export function newChannelId(random: { randomUUID(): string } = globalThis.crypto): string {
  return random.randomUUID();
}
