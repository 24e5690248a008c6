import type { StatusStrings } from './en.ts';

/** 客服状态的中文文案。 */
export const zh: StatusStrings = {
  statuses: {
    free: '空闲',
    busy: '忙碌',
    wrap_up: '话后处理',
    not_ready: '未就绪',
    rest: '小休',
    offline: '离线',
  },
  restReasons: { Break: '休息', Lunch: '午餐', Meeting: '会议', Training: '培训', Coaching: '辅导' },
  rest: '小休',
  restWith: '小休 · {reason}',
  setStatus: '设置状态',
  timeLeft: '剩余 {time}',
  finishWrapUp: '结束话后处理',
  couldNotChange: '无法更改状态：{error}',
};
