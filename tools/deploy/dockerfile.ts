/** One instruction of a Dockerfile: its keyword (upper case) and the rest of its (joined) line. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** A build stage: `FROM <image> [AS <name>]` and the instructions up to the next FROM. */
export interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  /** The `ARG`s before the first FROM, with their defaults: what FROM lines may refer to. */
  readonly globalArgs: ReadonlyMap<string, string>;
  readonly stages: readonly Stage[];
}

/**
 * Reads a Dockerfile's instructions (line continuations joined, comments and parser directives
 * dropped) into its stages, with each FROM's image resolved against the global ARG defaults.
 */
export function parseDockerfile(text: string): Dockerfile {
  const globalArgs = new Map<string, string>();
  const stages: { image: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const { keyword, args } of instructions(text)) {
    if (keyword === 'FROM') {
      const [image = '', as, name] = args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const resolved = image.replace(
        /\$\{(\w+)\}|\$(\w+)/g,
        (_, a?: string, b?: string) => globalArgs.get((a ?? b)!) ?? '',
      );
      stages.push({ image: resolved, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0) {
      if (keyword === 'ARG') {
        const [name = '', value = ''] = args.split('=', 2);
        globalArgs.set(name.trim(), value.trim().replace(/^"(.*)"$/, '$1'));
      }
    } else {
      stages[stages.length - 1]!.instructions.push({ keyword, args });
    }
  }
  return { globalArgs, stages };
}

function instructions(text: string): Instruction[] {
  const found: Instruction[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    // A comment line may sit between continued lines; it ends nothing.
    if (trimmed.startsWith('#') || (trimmed === '' && pending === '')) continue;
    if (trimmed.endsWith('\\')) {
      pending += `${trimmed.slice(0, -1).trim()} `;
      continue;
    }
    const whole = (pending + trimmed).trim();
    pending = '';
    if (whole === '') continue;
    const space = whole.search(/\s/);
    found.push({
      keyword: (space < 0 ? whole : whole.slice(0, space)).toUpperCase(),
      args: space < 0 ? '' : whole.slice(space + 1).trim(),
    });
  }
  return found;
}

/** The JSON array of an exec-form instruction (`CMD ["node", "x.js"]`), or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  const start = args.indexOf('[');
  if (start < 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(args.slice(start));
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}
