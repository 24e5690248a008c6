/**
 * A deterministic support-chat corpus for bench/search: Chinese and English messages built from
 * support vocabulary with a Zipf-like spread (a few words everywhere, most rare), so that queries
 * range from very common words to rare phrases, as in a real inbox.
 */

const ZH = (
  '订单 物流 快递 退款 发货 地址 修改 取消 发票 优惠券 会员 积分 支付 失败 账号 密码 登录 注册 手机号 验证码 ' +
  '商品 质量 问题 客服 投诉 建议 价格 活动 折扣 库存 尺码 颜色 换货 退货 运费 包裹 签收 延迟 查询 进度 ' +
  '售后 维修 保修 安装 说明书 充电器 屏幕 电池 耳机 蓝牙 网络 信号 软件 更新 版本 系统 设置 通知 消息 ' +
  '银行卡 信用卡 微信 支付宝 余额 提现 到账 时间 工作日 周末 节假日 门店 营业 预约 服务 上门 师傅 电话 ' +
  '谢谢 您好 请问 麻烦 帮忙 尽快 处理 确认 已经 还没有 什么时候 怎么 为什么 可以 不能 需要 希望 满意 不满意 ' +
  '收到 破损 少件 错发 漏发 补发 赔偿 申请 审核 通过 拒绝 原因 凭证 照片 视频 联系 回复 等待 超时 ' +
  '北京 上海 广州 深圳 杭州 成都 武汉 南京 西安 重庆 苏州 天津 长沙 郑州 青岛 大连 厦门 宁波 无锡 合肥'
).split(' ');
const ZH_PUNCT = ['，', '。', '？', '！', '、'];

const EN = (
  'order shipping delivery refund return address change cancel invoice coupon member points payment failed account ' +
  'password login signup phone code product quality issue support complaint suggestion price sale discount stock size ' +
  'color exchange fee parcel package signed delayed tracking status warranty repair install manual charger screen ' +
  'battery headphones bluetooth network signal app update version settings notification message card bank wallet ' +
  'balance withdraw arrived today tomorrow weekend holiday store open appointment service technician call thanks hello ' +
  'please help quickly handle confirm already still when how why can cannot need hope happy unhappy received damaged ' +
  'missing wrong item resend compensation apply review approved rejected reason receipt photo video contact reply wait ' +
  'timeout the a to and of my is it for on with this that have not you your we our was be are please hi'
).split(' ');

/** A small fast PRNG (mulberry32): the same seed gives the same corpus. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Zipf-like pick: index i with weight 1/(i+1). */
function zipf(rand: () => number, words: readonly string[]): string {
  const n = words.length;
  // Inverse of the harmonic CDF, approximated by an exponential: fast and close enough for a bench.
  const i = Math.min(n - 1, Math.floor(Math.exp(rand() * Math.log(n + 1)) - 1));
  return words[i]!;
}

/** One message: 60 % Chinese (4–14 words, punctuated, no spaces), 40 % English (5–20 words). */
export function message(rand: () => number, serial: number): string {
  if (rand() < 0.6) {
    const count = 4 + Math.floor(rand() * 11);
    let text = '';
    for (let i = 0; i < count; i++) text += zipf(rand, ZH) + (rand() < 0.25 ? ZH_PUNCT[Math.floor(rand() * ZH_PUNCT.length)] : '');
    // An order number in some, as customers paste them.
    return rand() < 0.1 ? `${text}订单号${100000 + (serial % 900000)}` : text;
  }
  const count = 5 + Math.floor(rand() * 16);
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(zipf(rand, EN));
  const text = words.join(' ');
  return rand() < 0.1 ? `${text} order #${100000 + (serial % 900000)}` : text[0]!.toUpperCase() + text.slice(1);
}

/**
 * Queries as agents type them: a phrase cut from a stored message (2–4 Chinese characters, or one
 * or two English words), plus fixed very common words and words found nowhere.
 */
export function queries(rand: () => number, sample: readonly string[], count: number): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const text = sample[Math.floor(rand() * sample.length)]!;
    if (/[\u4e00-\u9fff]/.test(text)) {
      const chars = Array.from(text.replace(/[^\u4e00-\u9fff]/g, ''));
      if (chars.length < 4) continue;
      const len = 2 + Math.floor(rand() * 3);
      const start = Math.floor(rand() * (chars.length - len));
      out.push(chars.slice(start, start + len).join(''));
    } else {
      const words = text.toLowerCase().split(/\W+/).filter((w) => w.length > 2);
      if (words.length < 2) continue;
      const start = Math.floor(rand() * (words.length - 1));
      out.push(words.slice(start, start + (rand() < 0.5 ? 1 : 2)).join(' '));
    }
  }
  return out;
}

export const COMMON_QUERIES = ['订单', '物流', 'order', 'refund', 'the order'];
export const MISSING_QUERIES = ['量子纠缠', 'xylophone', 'zebra crossing'];
