import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * The browser suites' machinery: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), the console built from the current sources, screenshots at desktop and phone sizes.
 */
export const CHROMIUM = process.env.WASTEFLOW_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = resolve(__dirname, '..', '..', '..');
/** Every page the suites visit, at both sizes (git-ignored; the README names it). */
export const SCREENSHOT_DIR = join(ROOT, 'test', 'browser', 'screenshots');
/** The two screenshots the README opens with, refreshed when SCREENSHOTS_FOR_README=1. */
export const README_SCREENSHOT_DIR = join(ROOT, 'docs', 'screenshots');

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 360, height: 780 };

/** Why the browser suites cannot run here (undefined when they can). */
export function browserMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds the console (npm run build:web) unless dist/web is newer than every source of apps/web. */
export function ensureConsoleBuilt(): void {
  const index = join(ROOT, 'dist', 'web', 'index.html');
  const sources = Math.max(newest(join(ROOT, 'apps', 'web')), statSync(join(ROOT, 'catalogue')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  const result = spawnSync('npm', ['run', 'build:web'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) throw new Error(`npm run build:web failed:\n${result.stdout}\n${result.stderr}`);
}

export interface Chromium {
  readonly browser: Browser;
  close(): Promise<void>;
}

/**
 * Headless Chromium with the flags this closed network needs. Each launch runs on a fresh, empty profile
 * (playwright-core makes a new --user-data-dir in the temp folder and removes it on close).
 */
export async function launchChromium(): Promise<Chromium> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/** A context at a viewport, collecting page errors and CSP violations so a test can assert there were none. */
export async function openPage(
  browser: Browser,
  viewport: { width: number; height: number },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text()))
      errors.push(`csp: ${message.text()}`);
  });
  return { context, page, errors };
}

/** How wide the page's content is (its scroll width, px): at most the viewport's when nothing overflows. */
export async function contentWidth(page: Page): Promise<number> {
  return Number(await page.evaluate('document.documentElement.scrollWidth'));
}

/** Saves `name`.png (full page) under the screenshot folder; README ones also under docs/screenshots. */
export async function screenshot(page: Page, name: string, readme = false): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (readme && process.env.SCREENSHOTS_FOR_README === '1') {
    mkdirSync(README_SCREENSHOT_DIR, { recursive: true });
    copyFileSync(file, join(README_SCREENSHOT_DIR, `${name}.png`));
  }
}

/** The same page at the phone size, then back. */
export async function screenshotBoth(page: Page, name: string, readme: 'desktop' | 'phone' | 'none' = 'none'): Promise<void> {
  const size = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(DESKTOP);
  await screenshot(page, `${name}-desktop`, readme === 'desktop');
  await page.setViewportSize(PHONE);
  await screenshot(page, `${name}-phone`, readme === 'phone');
  await page.setViewportSize(size);
}

/** Signs in on the sign-in page with a token, as a user pastes it, and waits to land. */
export async function signIn(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('访问令牌').fill(token);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/**
 * Keeps every blob the page turns into a URL, so a test can read what a tab was opened on: the console's
 * CSP (connect-src 'self') rightly refuses a fetch of a blob: URL, even by the page that made it.
 */
export async function keepBlobs(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const kept = new Map<string, Blob>();
    const make = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (object: Blob) => {
      const url = make(object);
      if (object instanceof Blob) kept.set(url, object);
      return url;
    };
    (globalThis as unknown as { keptBlobs: Map<string, Blob> }).keptBlobs = kept;
  });
}

/** The bytes of a blob URL the page made (its context under keepBlobs). */
export async function blobBytes(page: Page, url: string): Promise<Buffer> {
  const bytes = await page.evaluate(async (blobUrl) => {
    const blob = (globalThis as unknown as { keptBlobs: Map<string, Blob> }).keptBlobs.get(blobUrl);
    if (!blob) throw new Error(`no blob ${blobUrl} was made by this page`);
    return [...new Uint8Array(await blob.arrayBuffer())];
  }, url);
  return Buffer.from(bytes);
}

/** Clicks what starts a download and answers the file's suggested name and bytes. */
export async function downloadOf(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}
