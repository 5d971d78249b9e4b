/**
 * Cases run per endpoint and the statuses they got: printed at the end of each file and copied into docs/SECURITY.md.
 */
export class Tally {
  private readonly rows = new Map<string, Map<number, number>>();

  record(endpoint: string, status: number): void {
    const statuses = this.rows.get(endpoint) ?? new Map<number, number>();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    this.rows.set(endpoint, statuses);
  }

  cases(endpoint?: string): number {
    const rows = endpoint ? [this.rows.get(endpoint) ?? new Map<number, number>()] : [...this.rows.values()];
    return rows.reduce((sum, statuses) => sum + [...statuses.values()].reduce((a, b) => a + b, 0), 0);
  }

  print(title: string): void {
    const lines = [...this.rows.entries()].map(([endpoint, statuses]) => {
      const byStatus = [...statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`)
        .join(' ');
      return `  ${endpoint.padEnd(44)} ${String(this.cases(endpoint)).padStart(7)} cases  ${byStatus}`;
    });
    console.log([`fuzz: ${title}: ${this.cases()} cases`, ...lines].join('\n'));
  }
}
