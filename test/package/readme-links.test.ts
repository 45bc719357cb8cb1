import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The README is the package page on npm: a relative link there resolves against the package, so
 * it must name a file the package ships. Links to the rest of the repository (examples, docs,
 * tests, API.md) are absolute, to the repository named in package.json, and name a file or
 * folder that exists in it.
 */
const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const REPOSITORY = String(pkg.repository.url).replace(/^git\+/, '').replace(/\.git$/, '');

/** Every link target of a Markdown text: inline links and images, reference definitions, HTML href/src; code is skipped. */
export function linkTargets(markdown: string): string[] {
  const prose = markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '') // fenced code blocks
    .replace(/`[^`\n]*`/g, ''); // inline code
  const targets: string[] = [];
  for (const m of prose.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]);
  for (const m of prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) targets.push(m[1]);
  for (const m of prose.matchAll(/\b(?:href|src)\s*=\s*"([^"]+)"/g)) targets.push(m[1]);
  return targets;
}

/** The relative link targets of `markdown` whose file is not in `shipped` (paths relative to the package root). */
export function linksOutsidePackage(markdown: string, shipped: readonly string[]): string[] {
  const files = new Set(shipped);
  return linkTargets(markdown).filter((target) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || target.startsWith('//')) return false; // absolute, or an anchor
    const file = path.posix.normalize(decodeURIComponent(target.replace(/[?#].*$/, ''))).replace(/^\.\//, '').replace(/\/$/, '');
    return !files.has(file);
  });
}

/**
 * The anchors of a Markdown text's headings as GitHub writes them: the heading's text (inline code
 * kept, its backticks dropped) in lower case, without punctuation other than hyphens and
 * underscores, spaces as hyphens; a repeated anchor gets -1, -2, ...
 */
export function headingAnchors(markdown: string): Set<string> {
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = m[1].replace(/`/g, '').toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

describe('README links', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
  const shipped: string[] = packed.files.map((f: { path: string }) => f.path);

  test('canary: a relative link to a file the package does not ship is found, wherever it is written', () => {
    const fixture = [
      '# Fixture',
      'See [the example](examples/app.ts), [the rules](RULES.md), [a section](#install) and [npm](https://www.npmjs.com/).',
      '![diagram](./docs/architecture.svg) and <a href="API.md">the API</a>.',
      '[ref]: test/paths',
      '```ts',
      "import { x } from './not-a-link';  // [not](a-link.md) in code",
      '```',
      'Inline `[not](a-link.md)` code, and [the licence](LICENSE#terms).',
    ].join('\n');
    expect(linksOutsidePackage(fixture, shipped).sort()).toEqual(['./docs/architecture.svg', 'API.md', 'examples/app.ts', 'test/paths'].sort());
  });

  test('every relative link of README.md names a file the package ships', () => {
    expect(shipped).toEqual(expect.arrayContaining(['README.md', 'RULES.md', 'LICENSE']));
    expect(linkTargets(readme).length).toBeGreaterThan(20); // the parser reads the README's links
    expect(linksOutsidePackage(readme, shipped)).toEqual([]);
  });

  test('every link into the repository names a file or folder that exists in it', () => {
    const prefix = new RegExp(`^${REPOSITORY.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?:blob|tree)/main/([^#?]+)`);
    const intoRepository = linkTargets(readme).map((t) => prefix.exec(t)?.[1]).filter((p): p is string => p !== undefined);
    expect(intoRepository.length).toBeGreaterThan(5);
    expect(intoRepository.filter((p) => !fs.existsSync(path.join(root, decodeURIComponent(p))))).toEqual([]);
  });

  test('every in-page link names a heading of the README (canary: an anchor with a typo is found)', () => {
    const anchors = headingAnchors(readme);
    const broken = (markdown: string) => linkTargets(markdown).filter((t) => t.startsWith('#') && !anchors.has(decodeURIComponent(t.slice(1))));
    expect(broken(readme)).toEqual([]);
    expect(anchors.has('model-monitoring-modeldataqualitymonitor-and-dataqualitymonitoring')).toBe(true);
    expect(broken('see [the monitor](#model-monitoring-modeldataqualitymonitor-and-dataqualitymonitorin)'))
      .toEqual(['#model-monitoring-modeldataqualitymonitor-and-dataqualitymonitorin']);
  });
});
