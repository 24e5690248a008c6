/** The tables the presence module owns (timestamps are integer ms, booleans 0/1 integers, lists JSON text). */
export interface PresenceTables {
  presence_nodes: { node_id: string; seen_at: number };
  presence_sockets: { socket_id: string; node_id: string; app_id: string; user_type: string; user_id: string; connected_at: number };
}
