export * from './accord-metrics';
export * from './metric-factory';
export * from './process-metrics';
export * from './handled-requests.interceptor';
export * from './ops-server';
export * from './service-readiness';
export * from './prometheus-text';
