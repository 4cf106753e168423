/**
 * @module repository/cli: `npm run repository`, the disaster tool: reads a repository with nothing but its
 * directory (no database, no app secret).
 *   npm run repository -- list <path> [--json]
 *   npm run repository -- extract <path> <restore point> <dir> [--passphrase-file <f> | --key-file <f>]
 * A restore point is its index path relative to `.indexes/` (`vm1/20250301T220000Z-job12.json`, `.json`
 * optional) or its `<stamp>-job<id>` name. Extract checks every chunk and each whole file's digest, writes
 * each file as `<name>.partial` and renames it once checked (zero chunks stay holes: sparse files). An
 * encrypted repository's passphrase comes from `--passphrase-file`, its master key (hex) from `--key-file`,
 * or it is asked on the terminal without echo.
 * Exit codes (as db:backup): 0 done; 1 failed; 2 bad usage; 4 corrupt. One line on error, in English.
 */
import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatBytes } from '../backup/space.js';
import { openRepository, type Repository, readConfig } from './config.js';
import { isRepositoryError, RepositoryError } from './errors.js';
import { INDEXES_DIR, type IndexFile } from './format.js';
import { closeChunkPool } from './pool.js';
import { listIndexes, readFileChunks, readIndex } from './reader.js';

const USAGE =
  'usage: npm run repository -- list <path> [--json] | extract <path> <restore point> <dir> [--passphrase-file <f> | --key-file <f>]';

/** A failure with its exit code and one-line message. */
class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

const usage = (problem: string) => new CliError(`${problem}; ${USAGE}`, 2);

/** Reads a line from the terminal without echoing it (the passphrase). */
function askHidden(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) throw usage('the repository is encrypted: give --passphrase-file or --key-file');
  process.stderr.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (data: string) => {
      for (const ch of data) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new CliError('interrupted', 1));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    input.on('data', onData);
  });
}

/** Opens the repository, with the key material an encrypted one needs. */
async function openWithKeys(
  dir: string,
  values: { 'passphrase-file'?: string; 'key-file'?: string },
): Promise<Repository> {
  const config = await readConfig(dir);
  if (!config.encryption) return openRepository(dir, {});
  if (values['key-file']) {
    const hex = (await readFile(values['key-file'], 'utf8')).trim();
    if (!/^[0-9a-fA-F]{64}$/.test(hex))
      throw usage(`${values['key-file']} does not hold a 64-hex master key`);
    return openRepository(dir, { masterKey: Buffer.from(hex, 'hex') });
  }
  const passphrase = values['passphrase-file']
    ? (await readFile(values['passphrase-file'], 'utf8')).replace(/\r?\n$/, '')
    : await askHidden(`Passphrase of the repository ${dir}: `);
  return openRepository(dir, { passphrase });
}

/** The name of a restore point: its index path relative to `.indexes/`, without `.json`. */
const pointName = (dir: string, indexPath: string) =>
  path
    .relative(path.join(dir, INDEXES_DIR), indexPath)
    .split(path.sep)
    .join('/')
    .replace(/\.json$/, '');

/** The index path of the restore point the user named. */
async function findPoint(dir: string, wanted: string): Promise<string> {
  const name = wanted.replace(/\.json$/, '').replace(/^\.indexes\//, '');
  const all = await listIndexes(dir);
  const matches = all.filter((indexPath) => {
    const relative = pointName(dir, indexPath);
    return relative === name || (!name.includes('/') && path.posix.basename(relative) === name);
  });
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) {
    throw usage(
      `${wanted} names several restore points (${matches.map((m) => pointName(dir, m)).join(', ')})`,
    );
  }
  throw new CliError(`no restore point ${wanted} in ${dir} (see: npm run repository -- list ${dir})`, 1);
}

async function list(dir: string, json: boolean): Promise<void> {
  const config = await readConfig(dir);
  const repo: Repository = { dir, config, encrypted: !!config.encryption, keys: null };
  const rows = [];
  for (const indexPath of await listIndexes(dir)) {
    const index = await readIndex(repo, indexPath);
    rows.push({
      restore_point: pointName(dir, indexPath),
      vm: index.vm.name,
      job_id: index.job_id,
      started_at: index.started_at,
      finished_at: index.finished_at,
      files: index.files.map((f) => ({ name: f.name, size: f.size })),
      logical_bytes: index.logical_bytes,
      bytes_written: index.bytes_written,
    });
  }
  if (json) {
    console.log(
      JSON.stringify({ repository: config.id, encrypted: !!config.encryption, restore_points: rows }),
    );
    return;
  }
  console.error(
    `repository ${config.id} (${config.encryption ? 'encrypted' : 'not encrypted'}): ${rows.length} restore point(s)`,
  );
  for (const row of rows) {
    console.log(
      `${row.restore_point}\t${row.finished_at}\t${row.vm}\t${row.files.length} files\t${formatBytes(row.logical_bytes)}`,
    );
  }
}

/** A file name an index may hold: a plain name, never a path out of the target directory. */
function safeName(indexPath: string, name: string): string {
  if (!name || name === '.' || name === '..' || name !== path.basename(name) || name.includes('\\')) {
    throw new RepositoryError('index_corrupt', { file: indexPath, detail: name }, `unsafe file name ${name}`);
  }
  return name;
}

/** Writes one file of the restore point, sparse where chunks are zero; renamed into place once checked. */
async function extractFile(repo: Repository, file: IndexFile, target: string): Promise<void> {
  const partial = `${target}.partial`;
  const handle = await open(partial, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600);
  try {
    const zeros = Buffer.alloc(repo.config.chunk_size);
    let position = 0;
    for await (const piece of readFileChunks(repo, file)) {
      const zero = piece.length <= zeros.length && piece.equals(zeros.subarray(0, piece.length));
      if (!zero) {
        for (let off = 0; off < piece.length; ) {
          off += (await handle.write(piece, off, piece.length - off, position + off)).bytesWritten;
        }
      }
      position += piece.length;
    }
    await handle.truncate(position);
    await handle.sync();
    await handle.close();
    await rename(partial, target);
  } catch (err) {
    await handle.close().catch(() => {});
    await rm(partial, { force: true });
    throw err;
  }
}

async function extract(
  dir: string,
  wanted: string,
  out: string,
  values: { 'passphrase-file'?: string; 'key-file'?: string },
): Promise<void> {
  const repo = await openWithKeys(dir, values);
  const indexPath = await findPoint(dir, wanted);
  const index = await readIndex(repo, indexPath);
  const names = index.files.map((f) => safeName(indexPath, f.name));
  await mkdir(out, { recursive: true });
  for (const name of names) {
    const exists = await stat(path.join(out, name)).then(
      () => true,
      () => false,
    );
    if (exists)
      throw new CliError(`${path.join(out, name)} exists already; extract into an empty directory`, 1);
  }
  for (const file of index.files) {
    await extractFile(repo, file, path.join(out, file.name));
    console.error(`  ${file.name} (${formatBytes(file.size)}) checked`);
  }
  console.log(
    `extracted ${pointName(dir, indexPath)} (${index.vm.name}, ${index.files.length} files, ${formatBytes(index.logical_bytes)}) into ${out}`,
  );
}

async function main(argv: string[]): Promise<void> {
  const parse = (args: string[]) =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        'passphrase-file': { type: 'string' },
        'key-file': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw usage((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values['passphrase-file'] && values['key-file'])
    throw usage('give --passphrase-file or --key-file, not both');
  const [command, dir, ...rest] = positionals;
  if (command === 'list' && dir && rest.length === 0) return list(path.resolve(dir), !!values.json);
  if (command === 'extract' && dir && rest.length === 2 && rest[0] && rest[1]) {
    return extract(path.resolve(dir), rest[0], path.resolve(rest[1]), values);
  }
  throw usage(command ? `bad arguments for ${command}` : 'no command');
}

/** The exit code of a failure: 4 for corrupt data, 2 for bad usage, 1 otherwise. */
function exitCode(err: unknown): number {
  if (err instanceof CliError) return err.code;
  if (isRepositoryError(err, 'chunk_corrupt', 'file_corrupt', 'index_corrupt')) return 4;
  return 1;
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  console.error(`repository: ${(err as Error).message.replace(/\s*\n\s*/g, ' ')}`);
  process.exitCode = exitCode(err);
} finally {
  await closeChunkPool();
}
