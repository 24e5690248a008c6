import type { ShortcutStrings } from './en.ts';

/** 键盘快捷键的中文文案。 */
export const zh: ShortcutStrings = {
  title: '键盘快捷键',
  next: '下一个会话',
  previous: '上一个会话',
  reply: '输入回复',
  help: '显示此列表',
  hint: '字母键在未输入文字时有效；Alt 加方向键随时有效。',
  close: '关闭',
};
