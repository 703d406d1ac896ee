// Account constants shared by the browser and the server (no zod here: see docs/decisions/026).

/** Shortest password accepted (the form fields ask for it too). */
export const PASSWORD_MIN_LENGTH = 8;
