/**
 * convPlan's answer (assembly/conv-plan.ts): how one direction of a convolution runs. The codes
 * are the ones in assembly/conv-algorithms.ts; the JS side asks once per call and switches.
 */
export const ConvDirection = { forward: 0, inputGrad: 1, filterGrad: 2 } as const;
export type ConvDirectionCode = (typeof ConvDirection)[keyof typeof ConvDirection];

export const ConvAlgorithm = { byColumns: 0, scalar: 1, direct: 2, winogradF2: 3, winogradF4: 4 } as const;
export type ConvAlgorithmCode = (typeof ConvAlgorithm)[keyof typeof ConvAlgorithm];

/** The algorithm's name, for tests and diagnostics. */
export function convAlgorithmName(code: number): keyof typeof ConvAlgorithm {
  const name = (Object.keys(ConvAlgorithm) as (keyof typeof ConvAlgorithm)[]).find((k) => ConvAlgorithm[k] === code);
  if (name === undefined) throw new Error(`convPlan returned unknown algorithm ${code}`);
  return name;
}
