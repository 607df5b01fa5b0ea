import { JsBackend } from '../../src/kernels/js/index.js';
import { layers, optimizers, Sequential, tensor, oneHot, type ActivationName, type FitArgs, type LossSpec, type Tensor } from '../../src/index.js';
import { mulberry32, randomArray } from './random.js';

export type TargetKind = 'oneHot' | 'sparse' | 'regression' | 'bits';

/**
 * dLoss/dParams of one Dense layer (3 units, `activation`) from one fit step with a zero learning
 * rate, against central differences of fit's loss in float64: the worst relative difference.
 * The step goes through the model's loss fusion, so a fused loss is checked end to end.
 * `fitArgs` may weight the samples (evaluate has no weights, so the differences come from fit).
 */
export async function modelLossGradientError(loss: LossSpec, activation: ActivationName, targets: TargetKind, fitArgs: FitArgs = {}): Promise<number> {
  const rng = mulberry32(7);
  const n = 4;
  const classes = 3;
  const model = new Sequential([layers.dense({ units: classes, activation, inputShape: [5] })], { backend: new JsBackend({ float64: true }) });
  model.compile({ optimizer: optimizers.sgd({ learningRate: 0 }), loss });
  const x = tensor(randomArray(rng, n * 5, -1, 1), [n, 5]);
  const labels = [0, 2, 1, 2];
  const y: Tensor =
    targets === 'regression'
      ? tensor(randomArray(rng, n * classes, 0, 1), [n, classes])
      : targets === 'bits'
      ? tensor(Float32Array.from({ length: n * classes }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0), [n, classes])
      : targets === 'sparse'
      ? tensor(labels, [n])
      : oneHot(labels, classes);
  const args: FitArgs = { batchSize: n, epochs: 1, shuffle: false, verbose: 0, ...fitArgs };
  const lossNow = async () => (await model.fit(x, y, args)).history['loss']![0]!;
  await lossNow();
  const f = model.backend!.f32();
  const grads = model.layers[0]!.params.map((p) => Float64Array.from(f.subarray(p.grad, p.grad + p.size)));
  let worst = 0;
  for (const [k, p] of model.layers[0]!.params.entries()) {
    for (let i = 0; i < p.size; i++) {
      const keep = f[p.ptr + i]!;
      f[p.ptr + i] = keep + 1e-6;
      const up = await lossNow();
      f[p.ptr + i] = keep - 1e-6;
      const down = await lossNow();
      f[p.ptr + i] = keep;
      const numeric = (up - down) / 2e-6;
      const analytic = grads[k]![i]!;
      worst = Math.max(worst, Math.abs(analytic - numeric) / Math.max(1, Math.abs(analytic), Math.abs(numeric)));
    }
  }
  return worst;
}
