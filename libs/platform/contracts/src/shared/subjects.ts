/**
 * Readiness details of each service process (SEC-3c): every replica answers with its
 * own health registry (`HealthReport` of @accord/service-kit); the gateway aggregates them for
 * `GET /health`. Keys are those of `queueGroups`.
 */
export const healthSubjects = {
  membership: 'accord.health.membership',
  invitation: 'accord.health.invitation',
  notification: 'accord.health.notification',
  token: 'accord.health.token',
} as const;

/** Each service listens in its own queue group, so any number of replicas share the load. */
export const queueGroups = {
  membership: 'membership-service',
  invitation: 'invitation-service',
  notification: 'notification-service',
  token: 'token-service',
} as const;
