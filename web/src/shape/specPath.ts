// Reading and writing a spec object by path (["searchSpace", "lr", "low"]), the way the form built from the
// published spec schema edits the JSON: a field left empty removes its key, and an object left empty goes too.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function getAt(root: JsonObject, path: string[]): Json | undefined {
  let at: Json | undefined = root;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = at[key];
  }
  return at;
}

/** A copy of <root> with the value at <path> set, or removed when <value> is undefined (empty parents removed too). */
export function setAt(root: JsonObject, path: string[], value: Json | undefined): JsonObject {
  const [head, ...rest] = path;
  if (head === undefined) return root;
  const copy: JsonObject = { ...root };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const child = copy[head];
  const next = setAt(child !== null && typeof child === 'object' && !Array.isArray(child) ? child : {}, rest, value);
  if (Object.keys(next).length === 0) delete copy[head];
  else copy[head] = next;
  return copy;
}

/** Renames a key of the object at <path>, keeping its place among the keys (the search space's order is the trial order). */
export function renameAt(root: JsonObject, path: string[], from: string, to: string): JsonObject {
  const parent = getAt(root, path);
  if (parent === null || typeof parent !== 'object' || Array.isArray(parent) || from === to || to in parent) return root;
  const renamed: JsonObject = {};
  for (const [k, v] of Object.entries(parent)) renamed[k === from ? to : k] = v;
  return setAt(root, path, renamed);
}

/** "searchSpace.lr.low" → ["searchSpace", "lr", "low"]; "params.hidden[1]" → ["params", "hidden", "1"]. */
export function splitPath(path: string): string[] {
  return path.replace(/^\$\.?/, '').replace(/\[(\d+)\]/g, '.$1').split('.').filter((s) => s.length > 0);
}
