/** A unified diff of two texts by line (longest common subsequence), as `diff -u` prints it. */
export function unifiedDiff(a: string, b: string, labelA: string, labelB: string, context = 3): string {
  const x = a === '' ? [] : a.split('\n');
  const y = b === '' ? [] : b.split('\n');
  const n = x.length;
  const m = y.length;
  // lcs[i][j]: common lines of x[i..] and y[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: { op: ' ' | '-' | '+'; line: string; ai: number; bi: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) ops.push({ op: ' ', line: x[i], ai: i++, bi: j++ });
    // Deletions before insertions, as diff -u prints them.
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ op: '-', line: x[i], ai: i++, bi: j });
    else ops.push({ op: '+', line: y[j], ai: i, bi: j++ });
  }
  const changed = ops.map((o, k) => (o.op !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (!changed.length) return '';
  const out = [`--- ${labelA}`, `+++ ${labelB}`];
  let k = 0;
  while (k < changed.length) {
    let end = k;
    while (end + 1 < changed.length && changed[end + 1] - changed[end] <= 2 * context) end++;
    const from = Math.max(0, changed[k] - context);
    const to = Math.min(ops.length - 1, changed[end] + context);
    const hunk = ops.slice(from, to + 1);
    const aLen = hunk.filter((o) => o.op !== '+').length;
    const bLen = hunk.filter((o) => o.op !== '-').length;
    out.push(`@@ -${hunk[0].ai + (aLen ? 1 : 0)},${aLen} +${hunk[0].bi + (bLen ? 1 : 0)},${bLen} @@`);
    for (const o of hunk) out.push(`${o.op}${o.line}`);
    k = end + 1;
  }
  return out.join('\n') + '\n';
}
