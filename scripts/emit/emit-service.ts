/**
 * Stage 4, emit: the model (and, for types, the spec itself) → the text of every generated file.
 * Types come from openapi-typescript; client, errors, enums, service, mock and index from the
 * Handlebars templates. Every emitter writes its code already laid out as Prettier would
 * (scripts/emit/layout.ts), so the output reads like hand-written code without paying for a
 * formatter on every run; test/generator/formatted-output.test.ts runs Prettier to show it agrees.
 * No file system access here: templates arrive as strings, files leave as a map.
 */
import type { Json } from "../lib/utils.js";
import type { ServiceModel } from "../model/service-model.js";
import { TEMPLATE_FILES, type Templates } from "./files.js";
import { emitSchemaTypes } from "./schema-types.js";
import { templateContext, type EmitOptions } from "./template-context.js";
import { compiledTemplates } from "./template-helpers.js";

/** Returns `<service>/<file>` → contents for every generated file of one service. */
export async function emitService(
  model: ServiceModel,
  specValue: unknown,
  templates: Templates,
  options: EmitOptions,
): Promise<Map<string, string>> {
  const render = compiledTemplates(templates);
  const context = templateContext(model, specValue as Json, options);
  const files = new Map<string, string>();
  files.set("schema.ts", await emitSchemaTypes(specValue, render.header(context)));
  for (const name of TEMPLATE_FILES) {
    const template = render.files[name];
    if (!template) throw new Error(`missing template templates/${name}.hbs`);
    files.set(name, template(context));
  }
  const out = new Map<string, string>();
  for (const [name, text] of files) out.set(`${model.service}/${name}`, endWithOneNewline(text));
  return out;
}

/** A template's last `{{#each}}` leaves a blank line at the end. */
function endWithOneNewline(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === "\n") end--;
  return `${text.slice(0, end)}\n`;
}
