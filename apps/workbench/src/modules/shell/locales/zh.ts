import type { ShellStrings } from './en.ts';

/** 顶栏、设置菜单与连接提示的中文文案。 */
export const zh: ShellStrings = {
  screens: '页面',
  inbox: '收件箱',
  history: '历史',
  supervisor: '班长席',
  wallboard: '大屏',
  reports: '报表',
  admin: '管理',
  signOut: '退出登录',
  loading: '加载中…',
  title: 'Frontdesk 工作台',
  titleWithCount: '({count}) Frontdesk 工作台',
  settings: '设置',
  ringSetting: '新咨询响铃',
  offerNotificationSetting: '标签页在后台时显示浏览器通知',
  language: '语言',
  reconnecting: '正在重新连接… 您发送的消息会保留，连接恢复后送达。',
  hideWorkbench: '隐藏工作台',
  showWorkbench: '显示工作台',
};
