import type { AuthStrings } from './en.ts';

/** 登录页的中文文案。 */
export const zh: AuthStrings = {
  title: '登录工作台',
  appId: '应用 ID',
  appIdHint: '由管理员提供（演示应用为“demo”）。',
  email: '邮箱',
  password: '密码',
  signIn: '登录',
  signingIn: '正在登录…',
};
