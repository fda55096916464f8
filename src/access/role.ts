/** What a user may do. Each role includes viewing; approvers do not automatically operate. */
export type Role = 'viewer' | 'operator' | 'approver';

export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };
