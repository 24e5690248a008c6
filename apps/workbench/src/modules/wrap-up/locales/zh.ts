import type { WrapUpStrings } from './en.ts';

/** 会话小结（处理结果与标签）的中文文案。 */
export const zh: WrapUpStrings = {
  wrapUp: '会话小结',
  disposition: '处理结果',
  noDisposition: '选择处理结果…',
  tags: '标签',
  note: '小结备注',
  save: '保存小结',
  saved: '小结已保存',
  savedBy: '保存于 {time}',
  noLabels: '尚无处理结果或标签：请管理员在“管理 › 会话小结”中添加。',
  pageTitle: '会话小结：处理结果与标签',
  pageHint: '坐席结束会话时选择一个处理结果和若干标签。不再使用的请归档：历史会话仍保留。',
  outcomes: '处理结果',
  tagList: '标签',
  newOutcome: '新处理结果',
  newTag: '新标签',
  add: '添加',
  archive: '归档',
  restore: '恢复',
  archived: '已归档',
  none: '暂无。',
};
