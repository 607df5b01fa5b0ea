import { encodeArtifacts, type ModelArtifacts } from '../../src/model/weights-format.js';

/** A one-Dense model whose every weight is `value`; `units` changes its shapes between versions. */
export function crashTestArtifacts(units: number, value: number): ModelArtifacts {
  const topology = {
    class_name: 'Sequential',
    config: { name: 'crash', layers: [{ class_name: 'Dense', config: { name: 'dense', units, activation: 'linear', batch_input_shape: [null, 4] } }] },
  };
  return encodeArtifacts(topology, [
    { name: 'dense/kernel', shape: [4, units], data: new Float32Array(4 * units).fill(value) },
    { name: 'dense/bias', shape: [units], data: new Float32Array(units).fill(value) },
  ]);
}
