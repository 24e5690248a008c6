/** English strings of the sign-in screen. */
export const en = {
  title: 'Sign in to the workbench',
  appId: 'App id',
  appIdHint: 'Given by your administrator (the demo app is “demo”).',
  email: 'Email',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  wrongCredentials: 'Wrong app id, email or password.',
  accountDisabled: 'This account is disabled. Ask your administrator.',
  noSuchApp: 'There is no app with this id.',
  sessionExpired: 'Your session has expired. Sign in again.',
  signedInElsewhere: 'You signed in somewhere else, so this window was signed out.',
  signedOut: 'You are signed out.',
  starting: 'Loading the workbench…',
  unreachable: 'The server cannot be reached. Check your connection and try again.',
  signInFailed: 'Sign-in failed.',
  socketRefused: 'Your password was accepted, but the server refused the live connection from this address. Open the workbench at the address your administrator gave you (the server’s public URL), or ask them to allow this one.',
};
export type AuthStrings = typeof en;
