/**
 * The manifest files of a plain (non-kustomization) Argo CD application directory: `.yaml`, `.yml` and `.json`,
 * as Argo CD's own directory apps read them, in path order, hidden folders and files left out.
 *
 * The directory comes from a Git repository anyone with commit access shapes, so reading it is guarded, and every
 * refusal names the file: a symlink that resolves outside the directory (it would read the sidecar's own files), a
 * file that is not a regular file (a FIFO blocks forever, /dev/zero never ends), a file over the size caps, a
 * symlink loop. Symlinks inside the directory are followed, directories too; a link back to a folder it stands in
 * is a loop and refused rather than walked forever.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  type Stats,
  statSync,
} from 'node:fs';
import { join, relative, sep } from 'node:path';
import { error, failure, type Outcome, type Result, success } from '../krm/index.js';
import { type InputLimits, limitVariables } from './input-limits.js';

/** A manifest file: its path relative to the application directory, and its text. */
export interface AppFile {
  path: string;
  text: string;
}

const manifestName = /\.(?:ya?ml|json)$/;

/** Reasons by errno code, in words a person acts on (Node's messages carry the absolute path instead). */
const reasons: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'a symlink loop',
  ENOENT: 'a broken symlink (its target does not exist)',
  ENOTDIR: 'a broken symlink (its target path goes through a file)',
};

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code && reasons[code]) ?? (e as Error).message;
}

function fileType(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** One walk over an application directory: what it found and what it refused. */
class Walk {
  readonly files: AppFile[] = [];
  readonly problems: Result[] = [];
  private total = 0;
  private full = false;

  constructor(
    private readonly root: string,
    private readonly limits: InputLimits,
    private readonly skip: (path: string) => boolean,
  ) {}

  private refuse(path: string, why: string): void {
    this.problems.push(error(`${path}: ${why}`, { file: { path } }));
  }

  private inside(real: string): boolean {
    return real === this.root || real.startsWith(this.root + sep);
  }

  /** Walks `folder` (a real path; `shown` is how it is named, relative) with its real ancestors. */
  folder(folder: string, shown: string, ancestors: ReadonlySet<string>): void {
    let names: string[];
    try {
      names = readdirSync(folder).sort();
    } catch (e) {
      this.refuse(shown || '.', `cannot list the folder: ${reason(e)}`);
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      this.entry(join(folder, name), shown ? `${shown}/${name}` : name, ancestors);
    }
  }

  private entry(path: string, shown: string, ancestors: ReadonlySet<string>): void {
    let real = path;
    let stats: Stats;
    try {
      // `folder` is a real path: only a symlink entry needs resolving.
      stats = lstatSync(path);
      if (stats.isSymbolicLink()) {
        real = realpathSync(path);
        stats = statSync(real);
      }
    } catch (e) {
      this.refuse(shown, `cannot follow it: ${reason(e)}`);
      return;
    }
    const outside = !this.inside(real);
    if (stats.isDirectory()) {
      if (outside) this.refuse(shown, `a symlink to ${real}, outside the application directory`);
      else if (ancestors.has(real))
        this.refuse(shown, `a symlink loop: it links back to ${relative(this.root, real) || '.'}`);
      else this.folder(real, shown, new Set([...ancestors, real]));
      return;
    }
    if (!manifestName.test(shown) || this.skip(shown)) return;
    if (outside) this.refuse(shown, `a symlink to ${real}, outside the application directory`);
    else if (!stats.isFile()) this.refuse(shown, `${fileType(stats)}, not a regular file`);
    else this.read(real, shown);
  }

  private read(real: string, shown: string): void {
    // One refusal for the total is enough: the files after it are not read at all.
    if (this.full) return;
    let fd: number | undefined;
    try {
      // Non-blocking: should the file have turned into a FIFO since it was looked at, open must not hang.
      fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
      const stats = fstatSync(fd);
      if (!stats.isFile()) this.refuse(shown, `${fileType(stats)}, not a regular file`);
      else if (stats.size > this.limits.perFile)
        this.refuse(
          shown,
          `${stats.size} bytes, over the cap of ${this.limits.perFile} bytes a file (${limitVariables.perFile})`,
        );
      else if (this.total + stats.size > this.limits.total) {
        this.full = true;
        this.refuse(
          shown,
          `the manifests up to this one exceed the cap of ${this.limits.total} bytes in all (${limitVariables.total})`,
        );
      } else {
        this.total += stats.size;
        this.files.push({ path: shown, text: readFileSync(fd).toString('utf8') });
      }
    } catch (e) {
      this.refuse(shown, `cannot read it: ${reason(e)}`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

/** The manifest files of the directory (those `skip` does not leave out), or every refusal found. */
export function readAppFiles(
  dir: string,
  limits: InputLimits,
  skip: (path: string) => boolean,
  lenient = false,
): Outcome<AppFile[]> {
  let root: string;
  try {
    root = realpathSync(dir);
  } catch (e) {
    // The directory itself missing is not a broken symlink (the reasons' words for files inside it).
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT' && !isSymlink(dir);
    const why = missing ? 'no such directory' : reason(e);
    return failure([error(`cannot read the application directory ${dir}: ${why}`)]);
  }
  const walk = new Walk(root, limits, skip);
  walk.folder(root, '', new Set([root]));
  // Lenient: the files read, with the refusals (each names its file), so a caller can go on with the rest.
  if (lenient) return success(walk.files, walk.problems);
  return walk.problems.length > 0 ? failure(walk.problems) : success(walk.files);
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
