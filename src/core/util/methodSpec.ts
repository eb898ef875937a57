// One RPC method's types, as a value: the engine's method lists (core/engine/protocol.ts,
// core/review/reviewEngineMethods.ts)
// are objects of these, so the names exist once, at run time too, and the type map, the request
// check and the engine's handler table all derive from them.

/** Parameter, result and progress types of one method. Nothing is stored: the value is an empty object. */
export interface MethodSpec<Params, Result, Progress> {
  /** Never set; it only carries the types. */
  readonly types?: { params: Params; result: Result; progress: Progress };
}

/** Declares a method with these types (Progress `never`: the method reports no progress). */
export function method<Params, Result, Progress = never>(): MethodSpec<Params, Result, Progress> {
  return {};
}

/** `{ params, result, progress }` of every method of a method list. */
export type MethodTypes<List extends Record<string, MethodSpec<unknown, unknown, unknown>>> = {
  [M in keyof List]: NonNullable<List[M]['types']>;
};

/** The handler of a method with these types: params arrive unchecked (the handler checks them). */
export type MethodHandler<Types extends { result: unknown; progress: unknown }> = (
  params: unknown,
  signal: AbortSignal,
  progress: (value: Types['progress']) => void,
) => Promise<Types['result']>;
