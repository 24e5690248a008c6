/** What the transparent channel announces (SPEC M7, M13). */
export interface TransparentEvents {
  /** Published: data for every socket of this user, on every node. */
  'user.data-pushed': { appId: string; userId: string; data: string };
  /** Published: close every socket of this user, on every node (they may connect again). */
  'user.kicked': { appId: string; userId: string };
  /** In the transaction that records it: data a client sent, for the business backend. */
  'user.data-received': { appId: string; userType: 'agent' | 'visitor'; userId: string; data: string };
}
