import { PathEvaluator, PathResult, PathSpec } from './evaluator';

/** A row of a path table. */
export interface PathRow extends PathSpec {
  /** For a CLOSED path: the layer that must close it (a path closed by accident proves nothing). */
  readonly closedBy?: string | string[];
  /**
   * The path fails on the current code because of a known defect: the row states the CORRECT
   * expectation and runs as `it.failing`, naming the defect, until the fix lands.
   */
  readonly knownDefect?: string;
}

/** What a test compares: the verdict, the layer that closed it, and the walk that explains it. */
export function verdict(row: PathRow, result: PathResult) {
  return {
    path: row.name,
    verdict: result.open ? 'OPEN' : 'CLOSED',
    blockedBy: result.blockedBy,
    explanation: result.explanation,
  };
}

/** The expectation of a row, for `toMatchObject`. */
export function expectation(row: PathRow) {
  if (row.expect === 'OPEN') return { path: row.name, verdict: 'OPEN' };
  const closedBy = row.closedBy === undefined ? [] : Array.isArray(row.closedBy) ? row.closedBy : [row.closedBy];
  return closedBy.length === 0 ? { path: row.name, verdict: 'CLOSED' } : { path: row.name, verdict: 'CLOSED', blockedBy: closedBy.length === 1 ? closedBy[0] : expect.stringMatching(new RegExp(`^(${closedBy.join('|')})$`)) };
}

/**
 * Declares one jest test per row: `it` for rows that hold today, `it.failing` for rows with a
 * known defect (they pass once the defect is fixed, and the row then moves to `it`).
 */
export function describePaths(title: string, evaluator: () => PathEvaluator, rows: PathRow[]): void {
  describe(title, () => {
    for (const row of rows) {
      const body = async () => {
        const result = await evaluator().evaluate(row);
        // PATHS_EXPLAIN=1 prints the walk of every row (the layers and rules that decided).
        if (process.env.PATHS_EXPLAIN) console.log(`${row.name}: ${result.open ? 'OPEN' : `CLOSED by ${result.blockedBy}`}\n  ${result.explanation.join('\n  ')}`);
        expect(verdict(row, result)).toMatchObject(expectation(row));
      };
      const name = `${row.expect}: ${row.name}${row.knownDefect ? ` [known defect: ${row.knownDefect}]` : ''}`;
      if (row.knownDefect) it.failing(name, body);
      else it(name, body);
    }
  });
}
