import type { UiStrings } from './en.ts';

/** 通用控件（对话框、提示）的中文文案。 */
export const zh: UiStrings = {
  close: '关闭',
  dismiss: '忽略',
};
