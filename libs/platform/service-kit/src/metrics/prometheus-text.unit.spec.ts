import { parsePrometheusText, sampleValue } from './prometheus-text';

describe('parsePrometheusText', () => {
  it('given an exposition, then every sample with its labels and value; HELP, TYPE and blank lines skipped', () => {
    const text = [
      '# HELP accord_commands_total Commands',
      '# TYPE accord_commands_total counter',
      'accord_commands_total{subject="accord.cmd.invitation.shareAccess",outcome="ok"} 3',
      '',
      'process_start_time_seconds 1714564800',
      'accord_x_bucket{le="+Inf"} 2 1714564800000',
      'accord_y NaN',
      'nodejs_eventloop_lag_mean_seconds Nan',
      'accord_z -1.5e-3',
    ].join('\n');
    expect(parsePrometheusText(text)).toEqual([
      {
        name: 'accord_commands_total',
        labels: { subject: 'accord.cmd.invitation.shareAccess', outcome: 'ok' },
        value: 3,
      },
      { name: 'process_start_time_seconds', labels: {}, value: 1714564800 },
      { name: 'accord_x_bucket', labels: { le: '+Inf' }, value: 2 },
      { name: 'accord_y', labels: {}, value: NaN },
      { name: 'nodejs_eventloop_lag_mean_seconds', labels: {}, value: NaN },
      { name: 'accord_z', labels: {}, value: -0.0015 },
    ]);
  });

  it('given escaped label values (quote, backslash, newline, comma, brace), then they are unescaped', () => {
    const [sample] = parsePrometheusText('m{a="say \\"hi\\"",b="c:\\\\d",c="1\\n2",d="x,}y"} +Inf');
    expect(sample).toEqual({ name: 'm', labels: { a: 'say "hi"', b: 'c:\\d', c: '1\n2', d: 'x,}y' }, value: Infinity });
  });

  it.each([['m{a="x} 1'], ['m{a=x} 1'], ['m one'], ['{a="x"} 1'], ['m{a="\\q"} 1']])(
    'given a line that is not a sample (%s), then it throws naming the line',
    (line) => {
      expect(() => parsePrometheusText(line)).toThrow(/line 1/);
    },
  );

  it('sampleValue: the one sample matching the labels, undefined when none, an error when several', () => {
    const samples = parsePrometheusText('m{a="1",b="x"} 1\nm{a="2",b="x"} 2');
    expect(sampleValue(samples, 'm', { a: '2' })).toBe(2);
    expect(sampleValue(samples, 'm', { a: '3' })).toBeUndefined();
    expect(() => sampleValue(samples, 'm', { b: 'x' })).toThrow(/2 samples/);
  });
});
