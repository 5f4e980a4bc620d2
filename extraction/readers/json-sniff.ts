/**
 * Looks inside the first few KB of a JSON document that may be cut off mid-way (detection reads a
 * prefix only): lists the top-level members of an object, or elements of an array, until the cut.
 */

/** A top-level member: its key (null for array elements) and its JSON text, or null if cut off. */
export interface SniffedMember {
  key: string | null;
  text: string | null;
}

/** Members of the top-level container in `text` (a prefix of the document), in order. */
export function sniffMembers(text: string, max = 64): SniffedMember[] {
  const out: SniffedMember[] = [];
  let i = skipSpace(text, 0);
  const open = text[i];
  if (open !== '{' && open !== '[') return out;
  i = skipSpace(text, i + 1);
  while (i < text.length && out.length < max && text[i] !== '}' && text[i] !== ']') {
    let key: string | null = null;
    if (open === '{') {
      const end = valueEnd(text, i);
      if (end === -1 || text[i] !== '"') break;
      key = JSON.parse(text.slice(i, end)) as string;
      i = skipSpace(text, end);
      if (text[i] !== ':') break;
      i = skipSpace(text, i + 1);
    }
    const end = valueEnd(text, i);
    if (end === -1) {
      out.push({ key, text: null });
      break;
    }
    out.push({ key, text: text.slice(i, end) });
    i = skipSpace(text, end);
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return out;
}

/** Parses a sniffed member's text, or undefined when it is cut off or not JSON. */
export function parseMember(member: SniffedMember | undefined): unknown {
  if (member?.text == null) return undefined;
  try {
    return JSON.parse(member.text);
  } catch {
    return undefined;
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** Index just past the JSON value starting at `start`, or -1 if the text ends first. */
function valueEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
    } else if (ch === '"') {
      inString = true;
    } else if (ch === '{' || ch === '[') {
      depth++;
    } else if (ch === '}' || ch === ']') {
      if (depth === 0) return i; // closing bracket of the container: a bare value ended here
      depth--;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && (ch === ',' || /\s/.test(ch!))) {
      return i; // end of a bare number / literal
    }
  }
  return -1;
}
