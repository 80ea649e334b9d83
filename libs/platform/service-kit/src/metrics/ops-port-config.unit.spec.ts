import { ConfigError, servicesConfig } from '../config';

describe('OPS_PORT and OPS_HOST (the ops port of a service process)', () => {
  it('given nothing, then port 9464 on every interface (probes come from outside the container)', () => {
    expect(servicesConfig({})).toMatchObject({ opsPort: 9464, opsHost: '0.0.0.0' });
  });

  it('given OPS_PORT=0, then a free port is picked; given OPS_HOST, then it listens there', () => {
    expect(servicesConfig({ OPS_PORT: '0', OPS_HOST: '127.0.0.1' })).toMatchObject({
      opsPort: 0,
      opsHost: '127.0.0.1',
    });
  });

  it.each([['metrics'], ['70000'], ['-1'], ['9464.5']])(
    'given OPS_PORT=%s, then start-up stops naming OPS_PORT',
    (raw) => {
      expect(() => servicesConfig({ OPS_PORT: raw })).toThrow(ConfigError);
      expect(() => servicesConfig({ OPS_PORT: raw })).toThrow(/OPS_PORT/);
    },
  );
});
