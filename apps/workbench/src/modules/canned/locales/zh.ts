import type { CannedStrings } from './en.ts';

/** 坐席个人快捷回复的中文文案。 */
export const zh: CannedStrings = {
  mine: '我的',
  picker: '快捷回复',
  noMatch: '没有匹配的快捷回复。',
  myResponses: '我的快捷回复',
  myResponsesHint: '仅您本人可见。回复时输入 / 加快捷词即可使用。',
  none: '您还没有个人快捷回复。',
  shortcut: '快捷词',
  shortcutHint: '字母、数字、- 或 _（在 / 之后输入）',
  title: '标题',
  text: '内容',
  add: '保存为我的回复',
  delete: '删除 /{shortcut}',
  close: '关闭',
  saved: '已保存为 /{shortcut}',
};
