import { keptRunFile, withIssue11Section } from './kept-runs';

describe('the kept runs section of RESULTS.md', () => {
  const section = ['## Issue 11 before/after (quick)', '', 'new table', ''];

  it('replaces only its own section, up to the next heading, and keeps hand-written ones', () => {
    const markdown = ['# Results', '', '## Targets', 'a', '## Issue 11 before/after (quick)', 'old table', '## By hand', 'notes', ''].join('\n');
    expect(withIssue11Section(markdown, section)).toBe(
      ['# Results', '', '## Targets', 'a', '## Issue 11 before/after (quick)', '', 'new table', '', '## By hand', 'notes', ''].join('\n'),
    );
  });

  it('adds the section at the end when the file has none', () => {
    expect(withIssue11Section('# Results\n\n## Targets\na\n', section)).toBe(
      '# Results\n\n## Targets\na\n\n## Issue 11 before/after (quick)\n\nnew table\n',
    );
  });

  it('refuses a name that is not a plain file name', () => {
    expect(() => keptRunFile('../baseline')).toThrow(/lower-case name/);
    expect(keptRunFile('issue-11-quick-after')).toMatch(/bench\/issue-11-quick-after\.json$/);
  });
});
