/**
 * Outbox job kinds of the access workflow. The core enqueues them in the transaction of the state
 * change; the handlers live in lib/access/enforcement.ts.
 *
 *   ACCESS_GRANT_JOB   payload { requestId }: provision an approved grant (status provisioning → active).
 *   ACCESS_REVOKE_JOB  payload { requestId }: undo what a grant provisioned (after revocation or expiry).
 *   ACCESS_EXPIRY_JOB  payload {}: the scheduled sweep that expires grants and sends reminders.
 */
export const ACCESS_GRANT_JOB = "access.grant";
export const ACCESS_REVOKE_JOB = "access.revoke";
export const ACCESS_EXPIRY_JOB = "access.expiry-sweep";

export type AccessJobPayload = { requestId: string };

/** What jobs about one access request point at (Job.targetType / targetId). */
export const ACCESS_JOB_TARGET = "access_request";

/**
 * Idempotency keys. A grant job is keyed by the request's revision at enqueue time, so a retry after
 * a failure makes a new job; a revocation happens once per request, whether revoked or expired.
 */
export const grantJobKey = (requestId: string, revision: number) => `access.grant:${requestId}:${revision}`;
export const revokeJobKey = (requestId: string) => `access.revoke:${requestId}`;
