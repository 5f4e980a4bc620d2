import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FileUnreadableError } from '../../schema/errors.ts';

/**
 * Turns the user's paths into a sorted list of files: directories are walked recursively, hidden
 * entries (".git", ".DS_Store") skipped. A path that does not exist is an error for the whole run,
 * because it is almost always a typo the user wants to hear about before anything is written.
 */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const p of paths) {
    const abs = resolve(p);
    let info;
    try {
      info = await stat(abs);
    } catch (error) {
      throw new FileUnreadableError(p, 'no such file or directory', { cause: error });
    }
    if (info.isDirectory()) for (const f of await walk(abs)) files.add(f);
    else files.add(abs);
  }
  return [...files].sort();
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}
