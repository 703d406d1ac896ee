/** A new password (sign-up, reset, change, invitation): the browser may suggest one; the server checks `passwordSchema`. */
import { PASSWORD_MIN_LENGTH } from "~/domains/auth/options";
import { TextField, type AnyField } from "~/components/ui/forms";

export function NewPasswordField({ label, field, hint }: { label: string; field: AnyField; hint?: string }) {
  return <TextField label={label} field={field} type="password" autoComplete="new-password" required minLength={PASSWORD_MIN_LENGTH} hint={hint} />;
}

/** The same password twice (the invitation, where nobody can reset a mistyped one by e-mail yet). */
export function NewPasswordWithConfirm({ label, confirmLabel, hint, password, confirm }: { label: string; confirmLabel: string; hint?: string; password: AnyField; confirm: AnyField }) {
  return (
    <>
      <NewPasswordField label={label} field={password} hint={hint} />
      <TextField label={confirmLabel} field={confirm} type="password" autoComplete="new-password" required />
    </>
  );
}
