import { ConfigError, logLevelConfig } from '../config';
import { LOG_LEVELS } from './log-level';

describe('LOG_LEVEL', () => {
  it('is info when unset or empty', () => {
    expect(logLevelConfig({})).toBe('info');
    expect(logLevelConfig({ LOG_LEVEL: '' })).toBe('info');
  });

  it('takes every pino level and silent', () => {
    for (const level of LOG_LEVELS) expect(logLevelConfig({ LOG_LEVEL: level })).toBe(level);
    expect(LOG_LEVELS).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);
  });

  it.each(['verbose', 'INFO', 'warning', ' info'])('stops start-up on %p, naming the variable', (raw) => {
    expect(() => logLevelConfig({ LOG_LEVEL: raw })).toThrow(ConfigError);
    expect(() => logLevelConfig({ LOG_LEVEL: raw })).toThrow(/LOG_LEVEL/);
  });
});
