/**
 * What is emitted per service: the one list of generated files that come from templates. Adding a
 * template is adding its name here (and `templates/<name>.hbs`).
 */

/** Template sources by name (`client.ts`, `header`, ...), read by the caller. */
export type Templates = Readonly<Record<string, string>>;

/** The files emitted per service, in order; each comes from `templates/<name>.hbs` except schema.ts. */
export const TEMPLATE_FILES = ["types.ts", "actions.ts", "client.ts", "commands.ts", "enums.ts", "errors.ts", "index.ts", "mock.ts", "service.ts", "validators.ts"] as const;
