#!/usr/bin/env node
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { captureHost } from './conformance/capture';
import { findRepoRoot } from './conformance/harness';

const USAGE = `Usage: npm run capture-fixtures -- NAME [--force] [--procfs DIR] [--sysfs DIR]

Copies the /proc and /sys files node collectors read on this machine into
fixtures/hosts/NAME/{proc,sys}: known files and bounded trees only, symlinks kept
relative, no per-process directories (but 1/mounts, self/mounts, their mountinfo and self/mountstats),
files over 1 MiB and unreadable ones skipped. --force replaces an existing capture.
`;

/** Runs the capture; resolves to the exit code. */
export function main(argv: readonly string[]): number {
  let name: string | undefined;
  let force = false;
  let procPath = '/proc';
  let sysPath = '/sys';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a === '--force') force = true;
    else if (a === '--procfs' || a === '--sysfs') {
      const v = argv[++i];
      if (!v) {
        process.stderr.write(`capture-fixtures: ${a} needs a directory\n`);
        return 2;
      }
      if (a === '--procfs') procPath = v;
      else sysPath = v;
    } else if (!a.startsWith('-') && name === undefined) name = a;
    else {
      process.stderr.write(`capture-fixtures: unexpected argument ${a}\n${USAGE}`);
      return 2;
    }
  }
  if (!name || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    process.stderr.write(`capture-fixtures: give a host name made of letters, digits, ".", "_" and "-"\n${USAGE}`);
    return 2;
  }
  const dest = join(findRepoRoot(__dirname), 'fixtures', 'hosts', name);
  if (existsSync(dest)) {
    if (!force) {
      process.stderr.write(`capture-fixtures: fixtures/hosts/${name} exists (use --force to replace it)\n`);
      return 1;
    }
    rmSync(dest, { recursive: true, force: true });
  }
  const r = captureHost({ dest, procPath, sysPath });
  const list = (title: string, items: readonly string[]) => {
    if (items.length === 0) return;
    process.stdout.write(`${title} (${items.length}): ${items.slice(0, 20).join(' ')}${items.length > 20 ? ' …' : ''}\n`);
  };
  process.stdout.write(`captured fixtures/hosts/${name}: ${r.files} files, ${r.bytes} bytes, ${r.symlinks} symlinks, ${r.dirs} directories\n`);
  list('absent on this host', r.absent);
  list('skipped, over 1 MiB', r.tooBig);
  list('skipped, unreadable', r.unreadable);
  list('skipped, total bound reached', r.overBudget);
  list('symlinks pointing outside (not kept)', r.outside);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`capture-fixtures: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
