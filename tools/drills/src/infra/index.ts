export { startAccordSystem, sessionToken, type AccordSystemOptions, type ReplicaExit } from './accord-system';
export { onExit } from './exit-hooks';
export { canConnect, freePort, sleep, waitFor } from './free-port';
export { startPrivateNats, type PrivateNatsHandle } from './private-nats';
export { startPrivatePostgres, type PrivatePostgresHandle } from './private-postgres';
export { startSmtpSink, type SmtpSinkHandle } from './smtp-sink';
