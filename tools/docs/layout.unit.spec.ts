import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

// The README's "Layout" section is the map a new engineer reads first: one table row per Nx
// project (folder, name, tags). This spec keeps it equal to what Nx sees, and keeps every project
// tagged with exactly one scope and one type, which the module-boundary rules depend on.

const ROOT = join(__dirname, '..', '..');

interface ProjectFile {
  readonly name: string;
  readonly root: string;
  readonly tags: readonly string[];
}

interface LayoutRow {
  readonly folder: string;
  readonly project: string;
  readonly tags: readonly string[];
}

/** Every project.json under apps/, libs/ and tools/ (node_modules excluded). */
function projectFiles(): ProjectFile[] {
  const found: ProjectFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
        walk(join(dir, entry.name));
      else if (entry.isFile() && entry.name === 'project.json') {
        const json = JSON.parse(readFileSync(join(dir, entry.name), 'utf8')) as { name: string; tags?: string[] };
        found.push({ name: json.name, root: relative(ROOT, dir), tags: json.tags ?? [] });
      }
    }
  };
  for (const top of ['apps', 'libs', 'tools']) walk(join(ROOT, top));
  return found;
}

/** `nx show projects --json`: the projects as Nx itself sees them. */
function nxProjects(): string[] {
  const out = execFileSync(process.execPath, [join(ROOT, 'node_modules/nx/bin/nx'), 'show', 'projects', '--json'], {
    cwd: ROOT,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out.slice(out.indexOf('['))) as string[];
}

/** The README section from `## Layout` to the next `## ` heading. */
function layoutSection(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Layout\n');
  if (start < 0) throw new Error('README.md has no "## Layout" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The rows of the section's table, by its header names "folder", "Nx project" and "tags". */
function layoutRows(section: string): LayoutRow[] {
  const lines = section.split('\n').filter((line) => line.trimStart().startsWith('|'));
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim());
  const header = cells(lines[0] ?? '');
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`the Layout table has no "${name}" column`);
    return index;
  };
  const [folder, project, tags] = [column('folder'), column('Nx project'), column('tags')];
  const spans = (cell: string | undefined) => [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  return lines
    .slice(1)
    .filter((line) => !/^\|[\s|:-]+\|$/.test(line.trim()))
    .map((line) => {
      const row = cells(line);
      return { folder: spans(row[folder]).join(' '), project: spans(row[project]).join(' '), tags: spans(row[tags]) };
    });
}

describe('README "Layout" section', () => {
  const files = projectFiles();
  const rows = layoutRows(layoutSection());
  let projects: string[];
  beforeAll(() => {
    projects = nxProjects();
  }, 60_000);

  it('Nx sees exactly the projects of the project.json files', () =>
    expect([...projects].sort()).toEqual(files.map((f) => f.name).sort()));

  it('names every Nx project', () =>
    expect(projects.filter((name) => !rows.some((row) => row.project === name)).sort()).toEqual([]));

  it('names no project that does not exist, and none twice', () => {
    expect(
      rows.filter((row) => !projects.includes(row.project)).map((row) => row.project || `(empty) ${row.folder}`),
    ).toEqual([]);
    expect(rows.map((row) => row.project).filter((name, i, all) => all.indexOf(name) !== i)).toEqual([]);
  });

  it('gives each project its folder and its tags', () => {
    const wrong = rows.flatMap((row) => {
      const file = files.find((f) => f.name === row.project);
      if (!file) return [];
      const problems: string[] = [];
      if (row.folder !== file.root)
        problems.push(`${row.project}: folder ${row.folder}, but its project.json is in ${file.root}`);
      if ([...row.tags].sort().join(' ') !== [...file.tags].sort().join(' '))
        problems.push(`${row.project}: tags ${row.tags.join(' ')}, but project.json says ${file.tags.join(' ')}`);
      return problems;
    });
    expect(wrong).toEqual([]);
  });
});

describe('Nx project tags', () => {
  it.each(projectFiles().map((f) => [f.root, f.tags] as const))(
    '%s has one scope:* and one type:* tag',
    (_root, tags) => {
      expect(tags.filter((tag) => tag.startsWith('scope:'))).toHaveLength(1);
      expect(tags.filter((tag) => tag.startsWith('type:'))).toHaveLength(1);
    },
  );
});
