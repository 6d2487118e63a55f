import type { Command } from 'commander';
import type { CliIo } from '../cli-context';
import { demoCommand } from './demo.command';
import { importCommand } from './import.command';
import { peopleSweepCommand } from './people-sweep.command';
import { rebuildCommand } from './rebuild.command';
import { tokensCommand } from './tokens-issue.command';
import { verifyCommand } from './verify.command';

/**
 * The CLI's commands, one file each under commands/ (replay, verify, rebuild, demo … are added here the
 * same way: a function from the io to a commander Command).
 */
export const COMMANDS: readonly ((io: CliIo) => Command)[] = [
  tokensCommand,
  verifyCommand,
  rebuildCommand,
  demoCommand,
  importCommand,
  peopleSweepCommand,
];
