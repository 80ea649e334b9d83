export { startAccordSystem, type AccordSystemOptions, type ReplicaExit } from './accord-system';
export { onExit } from './exit-hooks';
export { canConnect, freePort, waitFor } from '../../../shared/loopback';
export { startPrivateNats, type PrivateNatsHandle } from './private-nats';
export { startPrivatePostgres, type PrivatePostgresHandle } from './private-postgres';
export { startSmtpSink, type SmtpSinkHandle } from './smtp-sink';
