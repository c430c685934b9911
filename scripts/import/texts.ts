/**
 * Descriptions as the spec shows them: the English text where the English edition has one, else
 * Tencent's Chinese text; newer definitions write HTML, which becomes the Markdown OpenAPI uses.
 * Pure.
 */

/** The English text when there is one, else the Chinese, both cleaned. */
export function pickText(chinese: string | undefined, english: string | undefined): string {
  const en = cleanText(english ?? "");
  return en !== "" ? en : cleanText(chinese ?? "");
}

/** Line endings, trailing spaces and HTML normalised; an empty string when there is no text. */
export function cleanText(text: string): string {
  let out = text.replace(/\r\n?/g, "\n");
  if (HTML_TAG.test(out)) out = htmlToMarkdown(out);
  return out
    .split("\n")
    .map((line) => line.replace(/[ \t\u3000]+$/, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Tags Tencent's texts use; anything else in angle brackets (`<instance ID>_<n>`) is text. */
const TAGS = "p|br|ul|ol|li|a|code|strong|b|em|i|u|table|thead|tbody|tr|td|th|div|span|font|blockquote|pre|h[1-6]|img|del|sup|sub|hr";
const HTML_TAG = new RegExp(`</?(?:${TAGS})(?:\\s[^<>]*)?/?>`, "i");

function htmlToMarkdown(html: string): string {
  const tag = (names: string, open: boolean) => new RegExp(`<${open ? "" : "/"}(?:${names})(?:\\s[^<>]*)?/?>`, "gi");
  let out = html.replace(/\n/g, " ");
  out = out.replace(/<a\s[^<>]*href\s*=\s*["']([^"']*)["'][^<>]*>([\s\S]*?)<\/a>/gi, (_, href: string, text: string) => `[${text.trim()}](${href})`);
  out = out.replace(/<img\s[^<>]*src\s*=\s*["']([^"']*)["'][^<>]*>/gi, (_, src: string) => `![](${src})`);
  out = out.replace(/<pre(?:\s[^<>]*)?>([\s\S]*?)<\/pre>/gi, (_, code: string) => `\n\n\`\`\`\n${code.trim()}\n\`\`\`\n\n`);
  out = out.replace(tag("code", true), "`").replace(tag("code", false), "`");
  out = out.replace(tag("strong|b", true), "**").replace(tag("strong|b", false), "**");
  out = out.replace(tag("em|i", true), "*").replace(tag("em|i", false), "*");
  out = out.replace(tag("br", true), "\n").replace(tag("hr", true), "\n\n---\n\n");
  out = out.replace(tag("li", true), "\n- ").replace(tag("li", false), "");
  out = out.replace(tag("ul|ol", true), "\n").replace(tag("ul|ol", false), "\n\n");
  out = out.replace(tag("tr", true), "\n|").replace(tag("td|th", true), " ").replace(tag("td|th", false), " |");
  out = out.replace(tag("h[1-6]", true), "\n\n**").replace(tag("h[1-6]", false), "**\n\n");
  out = out.replace(tag("p|div|blockquote|table", true), "\n\n").replace(tag("p|div|blockquote|table", false), "\n\n");
  out = out.replace(new RegExp(`</?(?:${TAGS})(?:\\s[^<>]*)?/?>`, "gi"), "");
  // Whitespace in HTML is insignificant except inside <pre>, now a fenced block.
  let fenced = false;
  return decodeEntities(out)
    .split("\n")
    .map((line) => {
      if (line.trim() === "```") fenced = !fenced;
      return fenced ? line : line.trim().replace(/ {2,}/g, " ");
    })
    .join("\n");
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", nbsp: " " };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return named[name.toLowerCase()] ?? whole;
  });
}
