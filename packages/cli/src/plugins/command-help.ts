/**
 * Help output in cobra's default layout (short description, Usage, Aliases, Examples, Available Commands, Flags,
 * Global Flags), so `kubectl ws --help` reads like kcp's.
 */
import { flagUsages, type FlagSpec } from './flags.ts';

export interface CommandDoc {
  /** Full command path, e.g. `workspace use`. */
  readonly path: string;
  /** The `Use` line after the command path, e.g. `<workspace>|..|.|-`. */
  readonly use: string;
  readonly short: string;
  /** Shown instead of `short` at the top of the command's own help. */
  readonly long?: string;
  /** A command without a Run of its own (a pure group) shows no `<path> [flags]` usage line. */
  readonly runnable?: boolean;
  readonly aliases?: readonly string[];
  readonly example?: string;
  readonly commands?: readonly { readonly name: string; readonly short: string }[];
  readonly flags: readonly FlagSpec[];
  readonly globalFlags: readonly FlagSpec[];
}

export function commandHelp(doc: CommandDoc): string {
  const parts: string[] = [doc.long ?? doc.short, ''];
  const usage = [`Usage:`];
  if (doc.runnable !== false) usage.push(`  ${doc.path}${doc.use !== '' ? ' ' + doc.use : ''} [flags]`);
  if (doc.commands !== undefined && doc.commands.length > 0) usage.push(`  ${doc.path} [command]`);
  parts.push(usage.join('\n'));
  if (doc.aliases !== undefined && doc.aliases.length > 0) {
    parts.push('', `Aliases:\n  ${[doc.path.split(' ').at(-1) ?? '', ...doc.aliases].join(', ')}`);
  }
  if (doc.example !== undefined) parts.push('', `Examples:\n${doc.example}`);
  if (doc.commands !== undefined && doc.commands.length > 0) {
    const width = Math.max(...doc.commands.map((c) => c.name.length));
    parts.push(
      '',
      `Available Commands:\n${doc.commands.map((c) => `  ${c.name.padEnd(width)} ${c.short}`).join('\n')}`,
    );
  }
  parts.push(
    '',
    `Flags:\n${flagUsages([...doc.flags, { name: 'help', shorthand: 'h', kind: 'bool', usage: `help for ${doc.path.split(' ').at(-1) ?? ''}` }])}`,
  );
  if (doc.globalFlags.length > 0) parts.push('', `Global Flags:\n${flagUsages(doc.globalFlags)}`);
  if (doc.commands !== undefined && doc.commands.length > 0) {
    parts.push('', `Use "${doc.path} [command] --help" for more information about a command.`);
  }
  return parts.join('\n') + '\n';
}
