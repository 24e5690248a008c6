/** The tables the contacts module owns (timestamps are integer ms, lists and maps JSON text). */
export interface ContactsTables {
  /**
   * Contacts module: one profile per visitor (more after merges). `attributes`: JSON object of the
   * business's custom attributes. `merged_into_id`: set once merged into another contact, whose id
   * answers for this one from then on.
   */
  contacts: {
    id: string;
    app_id: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    attributes: string;
    page_url: string | null;
    referrer: string | null;
    browser: string | null;
    os: string | null;
    language: string | null;
    time_zone: string | null;
    first_seen_at: number;
    last_seen_at: number;
    created_at: number;
    updated_at: number;
    merged_into_id: string | null;
  };
  /** Contacts module: which contact each visitor is (one per visitor; a merge moves the rows). */
  contact_visitors: { app_id: string; visitor_id: string; contact_id: string; linked_at: number };
}
