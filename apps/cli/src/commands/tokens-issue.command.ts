import { Command, InvalidArgumentError, Option } from 'commander';
import { LedgerCommands, TOKEN_KINDS, type IssueTokenInput, type WriteOutcome } from '@wasteflow/ledger';
import { cliEnvelope, withLedger, type CliIo } from '../cli-context';

const list = (value: string): string[] => {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new InvalidArgumentError('a comma-separated list is expected');
  return items;
};

/**
 * `wasteflow tokens issue --kind admin|auditor|party|regulator [--party USCC] [--districts 3301,330106]
 * [--categories hazardous,industrial] [--label …]`: writes TokenIssued to the configured store through
 * the same handler as POST /v1/tokens, and prints the token once (on stdout, alone).
 */
export function tokensIssueCommand(io: CliIo): Command {
  return new Command('issue')
    .description('issue a bearer token (printed once; only the SHA-256 of its secret is stored)')
    .addOption(new Option('--kind <kind>', 'token kind').choices([...TOKEN_KINDS]).makeOptionMandatory())
    .option('--party <uscc>', 'party token: the registered party it acts for')
    .option(
      '--districts <regions>',
      'regulator token: region codes of 2, 4 or 6 digits, comma-separated',
      list,
    )
    .option('--categories <categories>', 'regulator token: waste categories, comma-separated', list)
    .option('--label <label>', 'a note on whom the token is for')
    .option('--idempotency-key <key>', 'retry safely: the same key and options issue nothing twice')
    .action(
      async (options: {
        kind: string;
        party?: string;
        districts?: string[];
        categories?: string[];
        label?: string;
        idempotencyKey?: string;
      }) => {
        const input: IssueTokenInput = {
          kind: options.kind,
          ...(options.party !== undefined ? { partyUscc: options.party } : {}),
          ...(options.districts !== undefined ? { districts: options.districts } : {}),
          ...(options.categories !== undefined ? { categories: options.categories } : {}),
          ...(options.label !== undefined ? { label: options.label } : {}),
        };
        const outcome = (await withLedger(io, (app) =>
          app
            .get(LedgerCommands)
            .run('issue-token', cliEnvelope('POST /v1/tokens', input, options.idempotencyKey), input),
        )) as WriteOutcome;
        const { result, secret } = outcome;
        const scope =
          result.kind === 'party'
            ? ` for ${String(result.partyUscc)}`
            : result.kind === 'regulator'
              ? ` for ${(result.districts as string[]).join(',')} / ${(result.categories as string[]).join(',')}`
              : '';
        if (secret?.token) {
          io.out(String(secret.token));
          io.err(
            `issued ${String(result.kind)} token ${String(result.tokenId)}${scope} (stream token-${String(result.tokenId)}, position ${outcome.position}); it is shown this once`,
          );
        } else {
          io.err(
            `token ${String(result.tokenId)} was already issued under this idempotency key; its secret is not shown again (issue a new one)`,
          );
        }
      },
    );
}

/**
 * `wasteflow tokens revoke <tokenId> --reason …`: TokenRevoked through the same handler as
 * POST /v1/tokens/{tokenId}/revoke, as the admin (the operator at the console of the ledger). Running
 * instances stop accepting the token within their token cache's lifetime (30 s).
 */
export function tokensRevokeCommand(io: CliIo): Command {
  return new Command('revoke')
    .description('revoke a bearer token by its id (the part between wf_ and the second _)')
    .argument('<tokenId>', 'the token id')
    .requiredOption('--reason <reason>', 'why it is revoked (recorded in TokenRevoked)')
    .option('--idempotency-key <key>', 'retry safely: the same key revokes once')
    .action(async (tokenId: string, options: { reason: string; idempotencyKey?: string }) => {
      const input = { tokenId, reason: options.reason };
      const outcome = (await withLedger(io, (app) =>
        app
          .get(LedgerCommands)
          .run(
            'revoke-token',
            cliEnvelope('POST /v1/tokens/{tokenId}/revoke', input, options.idempotencyKey),
            input,
          ),
      )) as WriteOutcome;
      io.err(
        `revoked token ${String(outcome.result.tokenId)} at ${String(outcome.result.revokedAt)} (position ${outcome.position})`,
      );
    });
}

export function tokensCommand(io: CliIo): Command {
  return new Command('tokens')
    .description('bearer tokens')
    .addCommand(tokensIssueCommand(io))
    .addCommand(tokensRevokeCommand(io));
}
