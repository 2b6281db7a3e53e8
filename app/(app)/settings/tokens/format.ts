/** Dates in the token lists: fixed to UTC so the server and the browser render the same text. */
const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const minute = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export const formatDay = (iso: string) => day.format(new Date(iso));
export const formatMinute = (iso: string | null) => (iso ? `${minute.format(new Date(iso))} UTC` : "Never");
