/** The results as a small table, the ratios against the baseline, and one line of verdict. */
export function formatReport({ baseline, lectern }) {
  const rows = [
    ['', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'errors', 'non-2xx'],
    row('bare express + jwt.verify', baseline),
    row('lectern POST /sessions', lectern),
    [
      'ratio lectern / bare',
      times(ratio(lectern.requestsPerSecond, baseline.requestsPerSecond), 2),
      '',
      times(ratio(lectern.p99, baseline.p99), 1),
      '',
      '',
      '',
    ],
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((cells) => cells[column].length)));
  const lines = rows.map((cells) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column]),
      )
      .join('  '),
  );
  return [...lines, '', conclusion({ baseline, lectern })].join('\n');
}

export function failures(result) {
  return result.errors + result.non2xx;
}

function row(label, result) {
  return [
    label,
    Math.round(result.requestsPerSecond).toLocaleString('en'),
    String(result.p50),
    String(result.p99),
    result.total.toLocaleString('en'),
    result.errors.toLocaleString('en'),
    result.non2xx.toLocaleString('en'),
  ];
}

function conclusion({ baseline, lectern }) {
  const failed = failures(baseline) + failures(lectern);
  if (failed > 0) {
    return `Conclusion: ${failed} requests failed, so the figures compare nothing; see above.`;
  }
  const throughput = ratio(lectern.requestsPerSecond, baseline.requestsPerSecond);
  const p99 = ratio(lectern.p99, baseline.p99);
  if (throughput === undefined) return 'Conclusion: the baseline answered nothing; no ratio.';
  const percent = (throughput * 100).toFixed(1);
  const verifications = (1 / throughput).toFixed(1);
  const tail = p99 === undefined ? 'no baseline p99' : `a p99 ${p99.toFixed(1)}× the baseline's`;
  return (
    `Conclusion: a session exchange sustains ${percent} % of the bare verify's throughput ` +
    `(one exchange takes the time of about ${verifications} bare verifications), with ${tail}.`
  );
}

function ratio(numerator, denominator) {
  return denominator > 0 ? numerator / denominator : undefined;
}

function times(value, digits) {
  return value === undefined ? 'n/a' : `${value.toFixed(digits)}×`;
}
