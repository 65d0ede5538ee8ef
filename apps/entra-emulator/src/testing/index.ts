// Test helpers for code that signs in against the emulator without a browser.
export {
  type CookieJar,
  createCookieJar,
  type FetchLike,
  type SignInOptions,
  type SignInResult,
  signIn,
} from './sign-in-driver';
