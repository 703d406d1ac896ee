// Which existing accounts an organisation may match when it imports or invites a learner.
//
// - Its own learners: accounts it created (User.createdByOrgId) that nobody has activated
//   yet. The school may match them by e-mail, phone or ID number, complete them and hand out
//   their link.
// - Its members: people already in the organisation (it sees them anyway).
// - Everyone else (activated, self-registered, or created by another school) is another
//   person's account: it is matched only by an e-mail or phone its owner verified, and then
//   only a join request is sent. An unverified match is refused without saying whose it is.
import { hasPassword } from "./invitations.server";

export interface MatchCandidate {
  id: string;
  role: string;
  passwordHash: string;
  createdByOrgId: string | null;
  emailVerifiedAt: Date | null;
  phoneVerifiedAt: Date | null;
  /** Memberships in the importing organisation only. */
  memberships: Array<{ role: string }>;
}

export type MatchVia = "email" | "phone" | "idNumber";

export type Relation = "member" | "own" | "foreignVerified" | "foreignUnverified";

/** An account this organisation created and nobody has activated: still the school's to complete. */
export function isOwnPendingLearner(orgId: string, user: Pick<MatchCandidate, "createdByOrgId" | "passwordHash">) {
  return user.createdByOrgId === orgId && !hasPassword(user);
}

export function relationTo(orgId: string, user: MatchCandidate, via: readonly MatchVia[]): Relation {
  if (user.memberships.length) return "member";
  if (isOwnPendingLearner(orgId, user)) return "own";
  const verified = via.some((v) => (v === "email" && user.emailVerifiedAt) || (v === "phone" && user.phoneVerifiedAt));
  return verified ? "foreignVerified" : "foreignUnverified";
}
