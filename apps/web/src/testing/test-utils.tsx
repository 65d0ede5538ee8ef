import type { INavigationClient } from '@azure/msal-browser';
import { type RenderResult, render } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { type Location, MemoryRouter, useLocation } from 'react-router';
import { type AppDeps, AppProvider, createAppDeps } from '../app/provider';
import { AppRoutes } from '../app/router';
import { type AuthChannel, createAuthChannel } from '../features/auth/auth-channel';

const rendered: AppDeps[] = [];
const channels: AuthChannel[] = [];

/** Called after each test (setup-tests.ts): stops listeners so no test leaks into the next. */
export function disposeRenderedApps() {
  for (const deps of rendered.splice(0)) deps.auth.dispose();
  for (const channel of channels.splice(0)) channel.close();
}

/** An msal navigation client that records full-page navigations instead of leaving the page. */
export function createRecordingNavigation() {
  const visits: string[] = [];
  const client: INavigationClient = {
    navigateInternal: async (url) => {
      visits.push(url);
      return true;
    },
    navigateExternal: async (url) => {
      visits.push(url);
      return true;
    },
  };
  return { visits, client, last: () => visits.at(-1) };
}

let channelCounter = 0;
/** A fresh BroadcastChannel name per test, so tabs of different tests never hear each other. */
export function uniqueChannelName() {
  channelCounter += 1;
  return `gatehouse-auth-test-${process.pid}-${channelCounter}`;
}

/** A real BroadcastChannel-backed auth channel ("a tab"), closed after the test. */
export function openTabChannel(name: string): AuthChannel {
  const channel = createAuthChannel({}, { name });
  channels.push(channel);
  return channel;
}

function LocationProbe({ onChange }: { onChange: (location: Location) => void }) {
  onChange(useLocation());
  return null;
}

export type RenderAppOptions = {
  /** Name of the BroadcastChannel for cross-tab tests; no channel when absent. */
  channelName?: string;
  children?: ReactNode;
};

export type RenderedApp = RenderResult & {
  deps: AppDeps;
  navigation: ReturnType<typeof createRecordingNavigation>;
  user: UserEvent;
  /** The router's current path + search + hash (the URL bar of the test "tab"). */
  currentLocation(): string;
};

/** The whole SPA at `path`, against the msw BFF, with navigation recorded. */
export function renderApp(path = '/', options: RenderAppOptions = {}): RenderedApp {
  const navigation = createRecordingNavigation();
  const deps = createAppDeps({
    navigationClient: navigation.client,
    channel: options.channelName ? openTabChannel(options.channelName) : null,
  });
  rendered.push(deps);
  let location: Location | null = null;
  const user = userEvent.setup();
  const utils = render(
    <MemoryRouter initialEntries={[path]}>
      <AppProvider deps={deps}>
        <AppRoutes />
        {options.children}
        <LocationProbe
          onChange={(next) => {
            location = next;
          }}
        />
      </AppProvider>
    </MemoryRouter>,
  );
  const currentLocation = () => {
    if (!location) throw new Error('the router has not rendered yet');
    const { pathname, search, hash } = location as Location;
    return `${pathname}${search}${hash}`;
  };
  return { ...utils, deps, navigation, user, currentLocation };
}
