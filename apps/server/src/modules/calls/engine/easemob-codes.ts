/**
 * Easemob kefu agent state codes (seed 001, release v190307 "状态机"). Six digits: the first three
 * are the agent's base state (000 not signed in, 001 busy, 002 idle, 003 calling out, 004 ringing,
 * 005 after-call, 006 two-party, 007 inviting, 008 three-party), the last three say which
 * transition led there. The keys are the seed's own names, except where the seed's name
 * contradicts its code's meaning (marked "seed:"); README.md lists every choice.
 */
export const EASEMOB = {
  notLogin: '000000',
  busy: '001000',
  visitorInvite_timeout: '001001',
  agentInvite_timeout: '001002',
  free: '002000',
  callVisitor_visitorRefuse: '002001',
  callVisitor_Timeout: '002002',
  callVisitor_busy: '002003',
  callVisitor_error: '002004',
  callVisitor_agentCloseVideo_notAnswer: '002005',
  callCurrentVisitor_visitorRefuse: '002006',
  callCurrentVisitor_timeout: '002007',
  callCurrentVisitor_busy: '002008',
  callCurrentVisitor_error: '002009',
  /** The seed's list writes '0020010' (and its example `state = 0020010`); the constant says '002010'. */
  callCurrentVisitor_agentCloseVideo_notAnswer: '002010',
  visitorInvite_error: '002011',
  agentInvite_error: '002012',
  callingOut: '003000',
  callVisitor_inviteSendSuccess: '003001',
  callCurrentVisitor_inviteSendSuccess: '003002',
  ringing: '004000',
  afterCall: '005000',
  inviteThirdVisitor_masterAgentCloseVideo: '005001',
  inviteThirdAgent_masterAgentCloseVideo: '005002',
  callVisitor_visitorDisconnect: '005003',
  callVisitor_agentCloseVideo_answered: '005004',
  callCurrentVisitor_visitorDisconnect: '005005',
  callCurrentVisitor_agentCloseVideo_answered: '005006',
  visitorInvite_visitorDisconnect: '005007',
  visitorInvite_agentCloseVideo: '005008',
  agentInvite_visitorDisconnect: '005009',
  /** The seed's constant says '0050010', a typo its list and callback example correct to 005010. */
  agentInvite_agentCloseVideo: '005010',
  twoParty: '006000',
  inviteThirdVisitor_visitorRefuse: '006001',
  /** seed: the constant says inviteThirdVisitor_Timeout = 006002; its list and example say 006002 busy. */
  inviteThirdVisitor_busy: '006002',
  /** seed: the constant says inviteThirdVisitor_busy = 006003; its list and example say 006003 timeout. */
  inviteThirdVisitor_Timeout: '006003',
  inviteThirdVisitor_error: '006004',
  inviteThirdVisitor_visitorDisconnect: '006005',
  /** seed: commented out in the constant as inviteThirdAgent_visitorRefuse; the list says 坐席拒绝. */
  inviteThirdAgent_agentRefuse: '006006',
  /** seed: commented out in the constant; the list says 坐席忙. */
  inviteThirdAgent_busy: '006007',
  /** seed: commented out in the constant; the list says 坐席超时. */
  inviteThirdAgent_Timeout: '006008',
  inviteThirdAgent_error: '006009',
  /** seed: the constant says inviteThirdAgent_visitorDisconnect; the list says 坐席挂断 (the third agent left). */
  inviteThirdAgent_agentDisconnect: '006010',
  callVisitor_VisitorAcceptSuccess: '006011',
  callCurrentVisitor_VisitorAcceptSuccess: '006012',
  visitorInvite_Success: '006013',
  agentInvite_Success: '006014',
  inviting: '007000',
  inviteThirdVisitor_inviteSendSuccess: '007001',
  inviteThirdAgent_inviteSendSuccess: '007002',
  threeParty: '008000',
  inviteThirdVisitor_success: '008001',
  inviteThirdAgent_success: '008002',
} as const;

export type EasemobName = keyof typeof EASEMOB;
export type EasemobCode = (typeof EASEMOB)[EasemobName];

/** The base states (xxx000) and what each means. */
export const EASEMOB_BASE = {
  '000000': '未签入 not signed in',
  '001000': '忙 busy',
  '002000': '闲 idle',
  '003000': '外呼中 calling out',
  '004000': '来电中 ringing',
  '005000': '话后处理 after-call',
  '006000': '两方通话中 in a two-party call',
  '007000': '邀请中 inviting a third party',
  '008000': '三方通话中 in a three-party call',
} as const satisfies Partial<Record<EasemobCode, string>>;

export type EasemobBaseCode = keyof typeof EASEMOB_BASE;

export function baseOf(code: EasemobCode): EasemobBaseCode {
  return `${code.slice(0, 3)}000` as EasemobBaseCode;
}

/**
 * The seed's flows (the SDK call whose callback receives the code): visitorInvite = videoPickUp of a
 * visitor's call, agentInvite = multipleVideoPickUp by an invited agent, callVisitor =
 * callbackToVisitor, callCurrentVisitor = videoInviteCurrentVisitor, inviteThirdVisitor /
 * inviteThirdAgent = videoInviteVisitor / videoInviteAgent; base codes belong to none.
 */
export type EasemobFlow = 'visitorInvite' | 'agentInvite' | 'callVisitor' | 'callCurrentVisitor' | 'inviteThirdVisitor' | 'inviteThirdAgent' | 'base';

const NAME_OF = new Map<EasemobCode, EasemobName>(Object.entries(EASEMOB).map(([name, code]) => [code, name as EasemobName]));

export function flowOf(code: EasemobCode): EasemobFlow {
  const name = NAME_OF.get(code)!;
  const prefix = name.split('_')[0]!;
  return (['visitorInvite', 'agentInvite', 'callVisitor', 'callCurrentVisitor', 'inviteThirdVisitor', 'inviteThirdAgent'] as const).find((f) => f === prefix) ?? 'base';
}

export const ALL_EASEMOB_CODES: readonly EasemobCode[] = Object.values(EASEMOB);
