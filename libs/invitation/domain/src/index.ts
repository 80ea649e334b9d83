export * from './access';
export * from './inviter-lost-rights';
