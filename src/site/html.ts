/**
 * The one escaping helper of the site's own templates. Chat text reaches pages through markdown-it
 * (which escapes it) or through this function, which makes any string safe as HTML text and as a
 * double- or single-quoted attribute value: `&`, `<`, `>`, `"` and `'` become character references.
 * Nothing else is special inside a quoted attribute or in text.
 */
export function esc(value: string | number): string {
  return String(value).replace(ESCAPED, (char) => ENTITIES[char] as string);
}

const ESCAPED = /[&<>"']/g;
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
