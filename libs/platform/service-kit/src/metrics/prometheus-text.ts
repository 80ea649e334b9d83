/** One sample of a Prometheus text exposition: `name{labels} value`. */
export interface PrometheusSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * Parses the Prometheus text format (0.0.4): `# HELP` / `# TYPE` and comments are skipped; label
 * values are unescaped (`\\`, `\"`, `\n`); values may be `NaN`, `+Inf`, `-Inf` (any case); a timestamp after
 * the value is ignored. A line that is not a sample throws, naming it — what a scrape would refuse.
 */
export function parsePrometheusText(text: string): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    samples.push(parseSample(line, index + 1));
  }
  return samples;
}

/** The value of the one sample named `name` whose labels include `labels`; undefined when none. */
export function sampleValue(
  samples: readonly PrometheusSample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const matching = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
  if (matching.length > 1) throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return matching[0]?.value;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseSample(line: string, lineNumber: number): PrometheusSample {
  const bad = (why: string) => new Error(`Prometheus text line ${lineNumber}: ${why}: ${line}`);
  const name = NAME.exec(line)?.[0];
  if (!name) throw bad('no metric name');
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    for (;;) {
      rest = rest.trimStart();
      if (rest.startsWith('}')) {
        rest = rest.slice(1);
        break;
      }
      const label = LABEL_NAME.exec(rest)?.[0];
      if (!label || rest[label.length] !== '=' || rest[label.length + 1] !== '"') throw bad('bad label');
      const { value, length } = quoted(rest.slice(label.length + 2), bad);
      labels[label] = value;
      rest = rest.slice(label.length + 2 + length).trimStart();
      if (rest.startsWith(',')) rest = rest.slice(1);
      else if (!rest.startsWith('}')) throw bad('expected , or }');
    }
  }
  const [valueText] = rest.trim().split(/\s+/);
  const value = numberOf(valueText ?? '');
  if (value === undefined) throw bad('bad value');
  return { name, labels, value };
}

/** A label value after its opening quote: the unescaped text and how many characters it took (closing quote too). */
function quoted(text: string, bad: (why: string) => Error): { value: string; length: number } {
  let value = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return { value, length: i + 1 };
    if (c === '\\') {
      const next = text[++i];
      if (next === 'n') value += '\n';
      else if (next === '\\' || next === '"') value += next;
      else throw bad('bad escape in a label value');
    } else value += c;
  }
  throw bad('unterminated label value');
}

function numberOf(text: string): number | undefined {
  // Case-insensitive, as Prometheus reads them (prom-client writes `Nan`).
  const word = text.toLowerCase();
  if (word === 'nan') return NaN;
  if (word === '+inf' || word === 'inf') return Infinity;
  if (word === '-inf') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}
