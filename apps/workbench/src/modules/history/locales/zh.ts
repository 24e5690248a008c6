import type { HistoryStrings } from './en.ts';

/** 会话历史（搜索、筛选、查看过往会话）的中文文案。 */
export const zh: HistoryStrings = {
  title: '会话历史',
  searchPlaceholder: '搜索消息和姓名…',
  searchLabel: '搜索会话',
  filtersLabel: '显示哪些会话',
  filters: { mine: '我的', unassigned: '未分配', queue: '排队中', all: '全部进行中', closed: '已结束', everything: '全部' },
  searchFailed: '搜索失败：{error}',
  nothingFound: '没有找到结果。',
  noneHere: '这里没有会话。',
  chooseHint: '请搜索，或在左侧选择一个会话。',
  nameMatches: '姓名匹配',
  open: '进行中',
  openFailed: '无法打开此会话：{error}',
  back: '返回',
  backToList: '返回列表',
  loading: '加载中…',
};
