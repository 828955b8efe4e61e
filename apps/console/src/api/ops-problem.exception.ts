import type { ProblemDocument } from '@rabt/ops-contracts';

/** A problem+json answer of the ops API, or a network failure (status 0, code NETWORK). */
export class OpsProblem extends Error {
  constructor(readonly problem: ProblemDocument) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'OpsProblem';
  }

  get code(): string {
    return this.problem.code;
  }

  get status(): number {
    return this.problem.status;
  }

  static async fromResponse(res: Response): Promise<OpsProblem> {
    const text = await res.text().catch(() => '');
    let body: Partial<ProblemDocument> = {};
    try {
      body = JSON.parse(text) as Partial<ProblemDocument>;
    } catch {
      // not JSON: a proxy's page or an empty body; keep the status line
    }
    return new OpsProblem({
      ...body,
      title: body.title ?? (res.statusText || `HTTP ${res.status}`),
      status: body.status ?? res.status,
      code: body.code ?? `HTTP_${res.status}`,
    });
  }

  static network(error: unknown): OpsProblem {
    return new OpsProblem({ title: 'Network error', status: 0, code: 'NETWORK', detail: error instanceof Error ? error.message : String(error) });
  }
}
