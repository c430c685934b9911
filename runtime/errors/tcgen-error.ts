/** The common base of every error tcgen's runtime and generated clients throw: `error instanceof TcgenError`. */
export class TcgenError extends Error {
  override readonly name: string = "TcgenError";
}
