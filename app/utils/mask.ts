// The one way to show a phone number or an e-mail address partly (pages, logs, audit, codes).
// ID numbers: maskIdNumber in ~/domains/records/id-number.

/** 138****8000: enough to recognise a number, never the whole of it. */
export function maskPhone(phone: string | null | undefined) {
  if (!phone) return "";
  const digits = phone.replace(/\D/g, "");
  return digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : "****";
}

/** l***@example.com */
export function maskEmail(email: string) {
  const [local, domain] = email.split("@");
  if (!domain) return "***";
  return `${local.slice(0, 1)}***@${domain}`;
}
