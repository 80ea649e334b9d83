export * from './check';
export * from './commands-have-their-events';
export * from './stream-has-every-event-once';
export * from './read-models-equal-rebuild';
export * from './mails-sent-once';
export * from './availability-during-fault';
export * from './settle';
