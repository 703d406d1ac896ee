export const ROLES = ["learner", "expert", "school_admin", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface AuthUser {
  id: string;
  email: string | null;
  name: string;
  role: Role;
  locale: string;
  timeZone: string;
}

/** One function per rule, called at the top of loaders, actions and socket handlers. */
export function hasRole(user: Pick<AuthUser, "role">, ...allowed: Role[]) {
  return user.role === "admin" || allowed.includes(user.role);
}
