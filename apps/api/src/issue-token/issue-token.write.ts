import { EXAMPLE } from '../common/examples';
import { defineWrite } from '../writes/write-definition';
import { IssueTokenDto, IssueTokenResponseDto } from './issue-token.dto';

export const issueTokenWrite = defineWrite({
  type: 'issue-token',
  route: 'POST /v1/tokens',
  tag: 'tokens',
  body: IssueTokenDto,
  bulk: true,
  response: IssueTokenResponseDto,
  summary: 'Issue a bearer token (admin)',
  description:
    'TokenIssued in `token-<id>`: a party token (bound to a registered party), a regulator token (districts and categories), an auditor or an admin token. The token is returned once; only the SHA-256 of its secret is stored.',
  examples: {
    party: { value: { kind: 'party', partyUscc: EXAMPLE.generatorUscc, label: '西湖精细化工 ERP 接口' } },
    regulator: {
      value: {
        kind: 'regulator',
        districts: ['3301'],
        categories: ['hazardous'],
        label: '杭州市生态环境局',
      },
    },
    auditor: { value: { kind: 'auditor', label: '市审计局' } },
    admin: { value: { kind: 'admin' } },
  },
});
