/**
 * SORACOM pages with `last_evaluated_key`: a response with more to come carries the next key in
 * `x-soracom-next-key` and/or in a `link: <…?last_evaluated_key=…>; rel=next` header. Some APIs send
 * only one of the two, so both are read; no key (or an empty one) means this was the last page.
 */

export const NEXT_KEY_HEADER = 'x-soracom-next-key';
export const LAST_EVALUATED_KEY_PARAM = 'last_evaluated_key';

/** `last_evaluated_key` of the `rel=next` link of an RFC 8288 Link header, if any. */
export function nextKeyFromLinkHeader(linkHeader: string | undefined): string | undefined {
  if (linkHeader === undefined || linkHeader.trim() === '') return undefined;
  for (const link of splitLinks(linkHeader)) {
    const match = /^\s*<([^>]*)>(.*)$/s.exec(link);
    if (match === null) continue;
    const target = match[1] ?? '';
    const params = (match[2] ?? '').split(';').map((param) => param.trim());
    const isNext = params.some((param) => {
      const relMatch = /^rel\s*=\s*"?([^"]*)"?$/i.exec(param);
      return relMatch !== null && (relMatch[1] ?? '').split(/\s+/).some((rel) => rel.toLowerCase() === 'next');
    });
    if (!isNext) continue;
    const key = queryParam(target, LAST_EVALUATED_KEY_PARAM);
    if (key !== undefined && key !== '') return key;
  }
  return undefined;
}

/** The key for the next page from a response's headers (lower-cased names), preferring `x-soracom-next-key`. */
export function nextPageKey(headers: Readonly<Record<string, unknown>>): string | undefined {
  const nextKey = headerValue(headers[NEXT_KEY_HEADER]);
  if (nextKey !== undefined && nextKey.trim() !== '') return nextKey.trim();
  return nextKeyFromLinkHeader(headerValue(headers['link']));
}

function headerValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string').join(', ');
  return undefined;
}

/** Splits on the commas between links, not those inside `<…>` or quotes. */
function splitLinks(header: string): string[] {
  const links: string[] = [];
  let current = '';
  let inAngle = false;
  let inQuote = false;
  for (const char of header) {
    if (char === '<' && !inQuote) inAngle = true;
    else if (char === '>' && !inQuote) inAngle = false;
    else if (char === '"' && !inAngle) inQuote = !inQuote;
    if (char === ',' && !inAngle && !inQuote) {
      links.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim() !== '') links.push(current);
  return links;
}

function queryParam(target: string, name: string): string | undefined {
  try {
    return new URL(target, 'http://relative.invalid').searchParams.get(name) ?? undefined;
  } catch {
    return undefined;
  }
}
