import type { Backend } from '../kernels/backend.js';
import type { Ptr } from '../kernels/kernels.js';
import { initialize } from '../init.js';
import type { Layer } from '../layers/layer.js';
import { MemoryPlan } from '../memory-plan.js';
import type { ParamRun } from '../optimizers.js';
import type { Random } from '../random.js';
import { formatShape, shapeSize } from '../tensor.js';

/**
 * The most parameters (plus state) a model may have: with their gradients and two optimizer
 * slots that is 4 arrays of 2^28 floats, the 4 GiB a wasm32 memory can address. Checked before
 * anything is allocated, so an absurd model (a layer edited to 10^6 units) fails at once.
 */
export const MAX_MODEL_VALUES = 2 ** 28;

/** Per-batch-size regions, planned once for the largest batch used. */
export interface BatchPlan {
  maxBatch: number;
  input: Ptr;
  target: Ptr;
  scratch: Ptr;
  gradA: Ptr;
  gradB: Ptr;
  /** Each row's loss weight (fit's sampleWeight / classWeight), when given. */
  rowWeights: Ptr;
  /** One past the plan's last element: where `afterBatch` starts. */
  end: Ptr;
}

/**
 * Where a built model's tensors live in its backend's arena:
 *
 *   [params P][grads P][state S][slot 1: P]…[slot k: P]   persistent (k from the optimizer)
 *   [input][targets][layers' outputs, masks…][scratch][gradA][gradB][row weights]   per largest batch
 *
 * Parameters, gradients and slots are parallel, so a run of trainable parameters is one kernel
 * call per optimizer step. Non-trainable state sits apart: no optimizer ever reaches it.
 */
export class ModelArena {
  readonly params: Ptr;
  readonly grads: Ptr;
  readonly state: Ptr;
  private readonly paramCount: number;
  private readonly stateEnd: Ptr;
  private slotPtrs: Ptr[] = [];
  private persistentEnd: Ptr;
  private batch: BatchPlan | null = null;

  /** Places and initializes every layer's parameters and state (layers must be built). */
  constructor(
    readonly backend: Backend,
    private readonly layers: readonly Layer[],
    rng: Random,
  ) {
    this.paramCount = layers.reduce((n, l) => n + l.params.reduce((m, p) => m + p.size, 0), 0);
    const stateCount = layers.reduce((n, l) => n + l.stateCount, 0);
    checkModelSize(layers);
    const memory = new MemoryPlan(backend.base);
    this.params = memory.alloc(this.paramCount);
    this.grads = memory.alloc(this.paramCount);
    this.state = memory.alloc(stateCount);
    this.stateEnd = this.persistentEnd = memory.end;
    backend.reserve(memory.end);
    const f32 = backend.f32();
    let offset = 0;
    let stateOffset = 0;
    for (const layer of layers) {
      for (const p of layer.params) {
        p.ptr = this.params + offset;
        p.grad = this.grads + offset;
        initialize(p.initializer, p.shape, f32.subarray(p.ptr, p.ptr + p.size), rng);
        offset += p.size;
      }
      for (const s of layer.state) {
        s.ptr = this.state + stateOffset;
        if (s.values) f32.set(s.values, s.ptr);
        else initialize(s.initializer, s.shape, f32.subarray(s.ptr, s.ptr + s.size), rng);
        stateOffset += s.size;
      }
    }
  }

  /** Where each optimizer slot region starts (parallel to params). */
  get slots(): readonly Ptr[] {
    return this.slotPtrs;
  }

  /**
   * Gives the optimizer `count` zeroed slots parallel to the parameters. A different count
   * re-places the slots (and drops the batch plan that followed them); memory is reserved
   * before anything changes, so a failure leaves the arena as it was.
   */
  setOptimizerSlots(count: number): void {
    if (count !== this.slotPtrs.length) {
      const memory = new MemoryPlan(this.stateEnd);
      const slots = Array.from({ length: count }, () => memory.alloc(this.paramCount));
      this.backend.reserve(memory.end);
      this.slotPtrs = slots;
      this.persistentEnd = memory.end;
      this.batch = null;
    }
    for (const s of this.slotPtrs) this.backend.fill(s, this.paramCount, 0);
  }

  /**
   * The contiguous runs of trainable parameters (layers not frozen), each with its gradients and
   * slots: one run when nothing is frozen. Computed when fit starts, as `trainable` may change
   * between fits.
   */
  trainableRuns(): ParamRun[] {
    const runs: ParamRun[] = [];
    let offset = 0;
    for (const layer of this.layers) {
      const size = layer.params.reduce((n, p) => n + p.size, 0);
      if (layer.trainable && size > 0) {
        const last = runs[runs.length - 1];
        const tensorSizes = layer.params.map((p) => p.size);
        if (last && last.params + last.size === this.params + offset) {
          last.size += size;
          last.tensorSizes = [...last.tensorSizes, ...tensorSizes];
        } else runs.push({ params: this.params + offset, grads: this.grads + offset, slots: this.slotPtrs.map((s) => s + offset), size, tensorSizes });
      }
      offset += size;
    }
    return runs;
  }

  get currentBatchPlan(): BatchPlan | null {
    return this.batch;
  }

  /**
   * The per-batch regions for batches up to maxBatch (kept when the current plan is big
   * enough). Layers place their buffers as the plan is computed; if the memory cannot be
   * reserved, the previous plan is placed again (planning is deterministic), so a failed plan
   * leaves every layer pointing where it did and the model usable.
   */
  planBatches(maxBatch: number, inputSize: number, outputSize: number): BatchPlan {
    const current = this.batch;
    if (current && current.maxBatch >= maxBatch) return current;
    try {
      this.batch = this.placeBatch(maxBatch, inputSize, outputSize);
      return this.batch;
    } catch (error) {
      if (current) this.placeBatch(current.maxBatch, inputSize, outputSize);
      throw error;
    }
  }

  /**
   * A plan for memory right after the batch plan, for what only predict uses (model/bn-fold.ts):
   * it is valid until the batch plan changes, and nothing else writes there.
   */
  afterBatch(plan: BatchPlan): MemoryPlan {
    return new MemoryPlan(plan.end);
  }

  /** Places the batch regions (layers record their buffers), then reserves the memory they need. */
  private placeBatch(maxBatch: number, inputSize: number, outputSize: number): BatchPlan {
    const memory = new MemoryPlan(this.persistentEnd);
    const input = memory.alloc(maxBatch * inputSize);
    const target = memory.alloc(maxBatch * outputSize);
    let widest = inputSize;
    let scratchSize = 0;
    for (const layer of this.layers) {
      layer.planStep(memory, maxBatch);
      widest = Math.max(widest, shapeSize(layer.outputShape));
      scratchSize = Math.max(scratchSize, layer.scratchSize(maxBatch));
    }
    const scratch = memory.alloc(scratchSize);
    // Backward needs only dLoss/dOutput and dLoss/dInput of one layer at a time: two buffers ping-pong.
    const gradA = memory.alloc(maxBatch * widest);
    const gradB = memory.alloc(maxBatch * widest);
    const rowWeights = memory.alloc(maxBatch);
    this.backend.reserve(memory.end);
    return { maxBatch, input, target, scratch, gradA, gradB, rowWeights, end: memory.end };
  }
}

/** Refuses a model too large for any arena before a byte of it is allocated, naming the largest layer. */
export function checkModelSize(layers: readonly Layer[]): void {
  const total = layers.reduce((n, l) => n + l.paramCount, 0);
  if (total <= MAX_MODEL_VALUES) return;
  const largest = layers.reduce((a, b) => (b.paramCount > a.paramCount ? b : a));
  throw new RangeError(
    `model has ${total.toLocaleString('en-US')} parameters, more than the ${MAX_MODEL_VALUES.toLocaleString('en-US')} wasmnn can hold ` +
      `(largest: layer '${largest.name}' (${largest.className}) with ${largest.paramCount.toLocaleString('en-US')}, output ${formatShape(largest.outputShape)})`,
  );
}
