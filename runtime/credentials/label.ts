/** A provider that names itself, so that deadlines and errors can say which link of a chain hung. */
import type { CredentialsProvider } from "../credentials.js";

export type LabelledProvider = CredentialsProvider & { readonly label: string };

export function labelled(label: string | (() => string), provider: CredentialsProvider): LabelledProvider {
  return Object.defineProperty(provider, "label", typeof label === "string" ? { value: label } : { get: label }) as LabelledProvider;
}

/** The label of any provider: ours name themselves, a custom one is "the credentials provider". */
export function labelOf(provider: CredentialsProvider): string {
  const label = (provider as Partial<LabelledProvider>).label;
  return typeof label === "string" ? label : "the credentials provider";
}
