// Maps ProblemDetails field paths ("searchSpace.lr.low", "$.budget.maxTrials", "params.hidden[0]")
// to places in the spec editor's text, so each error is shown next to the field it names.

export interface TextPos { line: number; column: number; offset: number }

/** Normalised path: no leading "$", dots between segments, array indexes as segments, lower case. */
export function normalizePath(path: string): string {
  return path
    .replace(/^\$\.?/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\[["']([^"']+)["']\]/g, '.$1')
    .replace(/^\./, '')
    .toLowerCase();
}

function posAt(text: string, offset: number): TextPos {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') { line++; col = 1; } else col++;
  }
  return { line, column: col, offset };
}

/**
 * Offsets of every member key and array element in a JSON text, by normalised path.
 * Tolerant: stops quietly at the first syntax error, keeping what it found.
 */
export function jsonPathOffsets(text: string): Map<string, number> {
  const found = new Map<string, number>();
  let i = 0;
  const ws = () => { while (i < text.length && /\s/.test(text[i]!)) i++; };
  const str = (): string => {
    let out = '';
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') { out += text[i + 1] ?? ''; i += 2; } else out += text[i++];
    }
    i++;
    return out;
  };
  const value = (path: string): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') { i++; return; }
      while (i < text.length) {
        ws();
        if (text[i] !== '"') throw new Error('key');
        const at = i;
        const key = str();
        const p = path ? `${path}.${key.toLowerCase()}` : key.toLowerCase();
        if (!found.has(p)) found.set(p, at);
        ws();
        if (text[i] !== ':') throw new Error(':');
        i++;
        value(p);
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        throw new Error('}');
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') { i++; return; }
      let n = 0;
      while (i < text.length) {
        ws();
        const p = path ? `${path}.${n}` : String(n);
        if (!found.has(p)) found.set(p, i);
        value(p);
        n++;
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        throw new Error(']');
      }
    } else if (c === '"') str();
    else {
      const start = i;
      while (i < text.length && /[^,\]}\s]/.test(text[i]!)) i++;
      if (i === start) throw new Error('value');
    }
  };
  try { value(''); } catch { /* keep what was found before the syntax error */ }
  return found;
}

/**
 * Where the field named by `path` sits in `text`: the exact member if present, else its nearest
 * existing ancestor (a missing required field is shown at its parent); null when nothing matches.
 */
export function locateField(text: string, path: string, offsets = jsonPathOffsets(text)): (TextPos & { exact: boolean }) | null {
  const norm = normalizePath(path);
  if (norm === '') return null;
  const segments = norm.split('.');
  for (let n = segments.length; n > 0; n--) {
    const p = segments.slice(0, n).join('.');
    const at = offsets.get(p);
    if (at !== undefined) return { ...posAt(text, at), exact: n === segments.length };
  }
  return null;
}
