/** Edit distance (insertions, deletions, substitutions); ten lines, not worth a dependency for short field names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** "did you mean X?" for a near miss (at most 2 edits, or a third of the name), and the valid names. */
export function unknownFieldHint(field: string, known: readonly string[]): string {
  if (known.length === 0) return '';
  const nearest = known
    .map((name) => ({ name, distance: editDistance(field.toLowerCase(), name.toLowerCase()) }))
    .sort((x, y) => x.distance - y.distance)[0];
  const close = nearest.distance <= Math.max(2, Math.floor(field.length / 3)) ? `; did you mean "${nearest.name}"?` : '';
  return `${close} (valid fields: ${known.join(', ')})`;
}
