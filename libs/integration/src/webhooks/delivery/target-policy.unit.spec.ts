import { checkTarget, checkTargetUrl, isNonPublicAddress, TargetRefused } from './target-policy';

const none = { allowedHosts: [] as string[] };
const local = { allowedHosts: ['127.0.0.1', 'receiver.internal'] };
const resolvesTo =
  (...addresses: string[]) =>
  async () =>
    addresses;

describe('webhook targets (SSRF)', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    '224.0.0.1',
  ])('%s is not public', (address) => expect(isNonPublicAddress(address)).toBe(true));

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => expect(isNonPublicAddress(address)).toBe(false),
  );

  it('https only by default; plain http only for an allowed host', () => {
    expect(() => checkTargetUrl(none, 'http://example.com/hook')).toThrow(TargetRefused);
    expect(() => checkTargetUrl(none, 'ftp://example.com/hook')).toThrow(TargetRefused);
    expect(() => checkTargetUrl(none, 'not a url')).toThrow(TargetRefused);
    expect(() => checkTargetUrl(none, 'https://user:pw@example.com/')).toThrow(TargetRefused);
    expect(checkTargetUrl(none, 'https://example.com/hook').hostname).toBe('example.com');
    expect(checkTargetUrl(local, 'http://127.0.0.1:8080/hook').port).toBe('8080');
  });

  it('an address literal in a private range is refused unless its host is allowed', () => {
    for (const url of [
      'https://10.0.0.5/',
      'https://[::1]/',
      'https://169.254.169.254/latest',
      'https://127.0.0.2/',
    ]) {
      expect(() => checkTargetUrl(none, url)).toThrow(/loopback or private/);
    }
    expect(() => checkTargetUrl(local, 'https://127.0.0.2/')).toThrow(/loopback or private/);
    expect(checkTargetUrl(local, 'https://127.0.0.1/').hostname).toBe('127.0.0.1');
  });

  it('a name resolving to a private address is refused; to public addresses accepted; allowed names not resolved', async () => {
    await expect(
      checkTarget(none, 'https://evil.example/', resolvesTo('93.184.216.34', '10.0.0.1')),
    ).rejects.toThrow(/resolves to a loopback or private address \(10\.0\.0\.1\)/);
    await expect(
      checkTarget(none, 'https://ok.example/', resolvesTo('93.184.216.34')),
    ).resolves.toBeInstanceOf(URL);
    const never = async (): Promise<string[]> => {
      throw new Error('resolved');
    };
    await expect(checkTarget(local, 'http://receiver.internal/hook', never)).resolves.toBeInstanceOf(URL);
    await expect(checkTarget(none, 'https://nowhere.example/', never)).rejects.toThrow(/does not resolve/);
  });
});
