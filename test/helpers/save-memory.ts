import type { ModelArtifacts, ModelJson, Sequential } from '../../src/index.js';

/** model.json and the weight bytes, as save() hands them to a function. */
export async function saveToMemory(model: Sequential): Promise<{ modelJson: ModelJson; weightData: Uint8Array }> {
  let out: ModelArtifacts | undefined;
  await model.save((a) => void (out = a));
  const data = out!.weightData;
  return { modelJson: out!.modelJson, weightData: data instanceof Uint8Array ? data : data[0]! };
}
