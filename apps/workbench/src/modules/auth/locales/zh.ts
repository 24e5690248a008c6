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
  wrongCredentials: '应用 ID、邮箱或密码错误。',
  accountDisabled: '此账号已停用，请联系管理员。',
  noSuchApp: '没有此 ID 的应用。',
  sessionExpired: '登录已过期，请重新登录。',
  signedInElsewhere: '您已在别处登录，此窗口已退出。',
  signedOut: '您已退出登录。',
  starting: '正在加载工作台…',
  unreachable: '无法连接服务器，请检查网络后重试。',
  signInFailed: '登录失败。',
  socketRefused: '密码正确，但服务器拒绝了来自此地址的实时连接。请使用管理员提供的地址（服务器的公开网址）打开工作台，或请管理员允许此地址。',
};
