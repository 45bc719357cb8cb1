import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * What `npm pack` would publish. `npm test` compiles with jsii before jest runs, so dist/ is
 * current; run `npx projen compile` first when running jest alone.
 */
describe('the npm package', () => {
  const root = path.join(__dirname, '..', '..');
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
  const files: string[] = packed.files.map((f: { path: string }) => f.path);

  test('ships the compiled library and its type declarations', () => {
    const sources = fs.readdirSync(path.join(root, 'lib'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      const base = `dist/${source.replace(/\\/g, '/').replace(/\.ts$/, '')}`;
      expect(files).toEqual(expect.arrayContaining([`${base}.js`, `${base}.d.ts`]));
    }
    expect(files).toEqual(expect.arrayContaining(['.jsii', 'package.json', 'README.md', 'LICENSE']));
  });

  test('ships nothing else: no sources, tests, examples, source maps or tooling', () => {
    const allowed = /^(dist\/.+\.(js|d\.ts)|\.jsii|package\.json|README\.md|RULES\.md|LICENSE)$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
  });

  test('the JavaScript carries no inline source maps', () => {
    const js = files.filter((f) => f.endsWith('.js'));
    const withMaps = js.filter((f) => fs.readFileSync(path.join(root, f), 'utf8').includes('sourceMappingURL'));
    expect(withMaps).toEqual([]);
  });

  test('the entry point is the compiled index', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist/index.js');
    expect(pkg.types).toBe('dist/index.d.ts');
    expect(files).toContain(pkg.main);
  });
});
