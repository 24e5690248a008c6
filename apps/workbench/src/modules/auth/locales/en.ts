/** English strings of the sign-in screen. */
export const en = {
  title: 'Sign in to the workbench',
  appId: 'App id',
  appIdHint: 'Given by your administrator (the demo app is “demo”).',
  email: 'Email',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
};
export type AuthStrings = typeof en;
