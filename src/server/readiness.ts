/**
 * Whether this server should get traffic, for GET /readyz (a load balancer's or Kubernetes'
 * readiness probe). /healthz stays liveness: it answers 200 whenever the process answers at all.
 *
 * A process is ready when its model is loaded, and — under `--workers N` — when every worker
 * of the first start is: the port is shared, so a probe reaching a ready worker would otherwise
 * send traffic to siblings still loading. It stops being ready when shutdown begins, so the
 * load balancer drains it while requests in flight finish.
 */
export class Readiness {
  private modelLoaded = false;
  private siblingsReady: boolean;
  private stopping = false;

  /** `waitForSiblings`: a cluster worker of the first start, ready only once the primary says all are. */
  constructor(waitForSiblings = false) {
    this.siblingsReady = !waitForSiblings;
  }

  markModelLoaded(): void {
    this.modelLoaded = true;
  }

  markSiblingsReady(): void {
    this.siblingsReady = true;
  }

  markStopping(): void {
    this.stopping = true;
  }

  get ready(): boolean {
    return this.reason === null;
  }

  /** Why this process is not ready, or null when it is. */
  get reason(): string | null {
    if (this.stopping) return 'shutting down';
    if (!this.modelLoaded) return 'loading the model';
    if (!this.siblingsReady) return 'waiting for the other workers to load the model';
    return null;
  }
}
