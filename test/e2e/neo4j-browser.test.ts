/**
 * Neo4j Browser itself, driven in headless Chromium (playwright-core with the system's
 * /usr/bin/chromium; no browser download): the Browser web app the Neo4j server serves at
 * NEO4J_HTTP_URL/browser/ is opened, connected to NEO4J_URI through its own connect form, given
 * the README guide's `:params` block with the `:params` command, and made to run two of the guide's
 * queries over the real sample (loaded into a fresh namespace by test/fixtures/neo4j-sample.ts);
 * their results must appear in the page. Screenshots of each step go to test-results/neo4j-browser/
 * (printed). Only loopback servers are targets: every request to another host is refused in the
 * browser (the Browser asks for web fonts and sends usage data). Skipped with one line without
 * NEO4J_HTTP_URL and NEO4J_URI, without /usr/bin/chromium, or when they are not loopback addresses.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neo4jSettingsFromEnv } from '../fixtures/neo4j-env.ts';
import { loadSampleIntoNeo4j, type SampleInNeo4j } from '../fixtures/neo4j-sample.ts';
import { guideQuery, readmeGuide } from '../fixtures/readme-guide.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];
const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/neo4j-browser');

/** Generous but bounded: a 2-core machine, a first Browser load, a whole sample to ingest. */
const LOAD_TIMEOUT_MS = 10 * 60_000;
const STEP_TIMEOUT_MS = 3 * 60_000;
const UI_TIMEOUT_MS = 90_000;

const settings = neo4jSettingsFromEnv();
const httpUrl = process.env.NEO4J_HTTP_URL ?? '';

const isLoopback = (url: string): boolean => {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
};

function skipReason(): string | null {
  if (httpUrl === '') return 'NEO4J_HTTP_URL is not set';
  if (settings === null) return 'NEO4J_URI is not set';
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing`;
  if (!isLoopback(httpUrl) || !isLoopback(settings.uri)) return 'NEO4J_HTTP_URL and NEO4J_URI must be loopback addresses';
  return null;
}

const skipped = skipReason();

if (skipped !== null) {
  console.info(`Neo4j Browser e2e skipped: ${skipped}`);
  describe.skip('Neo4j Browser in headless Chromium (needs NEO4J_HTTP_URL, NEO4J_URI, /usr/bin/chromium)', () => {
    it('runs the guide in the Browser', () => undefined);
  });
} else {
  const neo4j = settings!;
  const guide = readmeGuide();
  const neighbourhood = guideQuery(guide, "An incident and its attacker's 2-hop neighbourhood");
  const receivers = guideQuery(guide, 'Top receivers of a token in a block range');
  const incidentId = String(guide.params.incidentId);
  /** The sample's WETH receiver with the most transfers in blocks 17173049–17173050. */
  const TOP_RECEIVER = 'Uniswap: Old Universal Router';

  describe('Neo4j Browser in headless Chromium, on the sample', () => {
    let sample: SampleInNeo4j | undefined;
    let context: BrowserContext | undefined;
    let page: Page;
    let profile: string | undefined;
    let shot = 0;

    const screenshot = async (name: string): Promise<string> => {
      const path = join(SCREENSHOTS, `${String(++shot).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path });
      return path;
    };

    /** The newest frame of the stream whose command starts like `command`. */
    const frameOf = (command: string): Locator =>
      page.locator('[data-testid="frame"]')
        .filter({ has: page.locator('[data-testid="frameCommand"]', { hasText: command.split('\n')[0]! }) })
        .first();

    /** Whitespace collapsed (Monaco shows spaces as no-break spaces; frames show commands on one line). */
    const collapse = (text: string): string => text.replace(/[\s\u00a0]+/g, ' ').trim();

    /** Pastes `text` into the main editor, as a user pasting from the README would, and runs it. */
    const run = async (text: string): Promise<Locator> => {
      const editor = page.locator('[data-testid="activeEditor"]');
      await editor.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.evaluate((t) => navigator.clipboard.writeText(t), text);
      await page.keyboard.press('Control+V');
      // After a paste the editor shows the end of the text (it renders only the lines in view).
      const lastLine = collapse(text.trimEnd().split('\n').at(-1)!);
      await expect.poll(async () => collapse(await editor.innerText()), { timeout: UI_TIMEOUT_MS }).toContain(lastLine);
      await page.locator('[data-testid="editor-Run"]').click();
      const frame = frameOf(text);
      await frame.waitFor({ timeout: UI_TIMEOUT_MS });
      // The frame ran exactly what was pasted.
      expect(collapse(await frame.locator('[data-testid="frameCommand"]').innerText())).toBe(collapse(text));
      return frame;
    };

    /** "Started streaming 20 records after 12 ms …" in the frame's status bar, as a number. */
    const streamedRecords = async (frame: Locator): Promise<number> => {
      const status = frame.locator('[data-testid="frameStatusbar"]');
      await status.getByText(/Started streaming \d+ record/).waitFor({ timeout: UI_TIMEOUT_MS });
      return Number(/Started streaming (\d+) record/.exec(await status.innerText())![1]);
    };

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      console.info(`Neo4j Browser screenshots: ${SCREENSHOTS}`);
      const loading = loadSampleIntoNeo4j(neo4j, {
        namespacePrefix: 'test-browser',
        reextractFile: String(guide.params.reextractedFile),
      });
      const opening = (async () => {
        profile = mkdtempSync(join(tmpdir(), 'mkg-chromium-'));
        context = await chromium.launchPersistentContext(profile, {
          executablePath: CHROMIUM,
          args: CHROMIUM_ARGS,
          viewport: { width: 1400, height: 1000 },
          timeout: UI_TIMEOUT_MS,
        });
        await context.route('**/*', (route) =>
          isLoopback(route.request().url()) ? route.continue() : route.abort('blockedbyclient'));
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(httpUrl).origin });
        page = context.pages()[0] ?? (await context.newPage());
        page.setDefaultTimeout(UI_TIMEOUT_MS);
        await page.goto(`${httpUrl}/browser/`, { timeout: UI_TIMEOUT_MS });
        await page.locator('[data-testid="boltaddress"]').waitFor({ timeout: UI_TIMEOUT_MS });
      })();
      const [loaded, opened] = await Promise.allSettled([loading, opening]);
      if (loaded.status === 'fulfilled') sample = loaded.value;
      if (loaded.status === 'rejected') throw loaded.reason;
      if (opened.status === 'rejected') throw opened.reason;
    }, LOAD_TIMEOUT_MS);

    afterAll(async () => {
      try {
        await context?.close();
      } finally {
        if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
        await sample?.dispose();
      }
    }, LOAD_TIMEOUT_MS);

    it('connects through the Browser\'s own connect form', async () => {
      const bolt = new URL(neo4j.uri);
      await page.locator('[data-testid="bolt-scheme-select"]').selectOption(`${bolt.protocol}//`);
      await page.locator('[data-testid="boltaddress"]').fill(bolt.host);
      await page.locator('[data-testid="username"]').fill(neo4j.user);
      await page.locator('[data-testid="password"]').fill(neo4j.password);
      await page.locator('[data-testid="connect"]').click();
      await page.getByText('You are connected as user').waitFor({ timeout: UI_TIMEOUT_MS });
      // The usage-data notice takes room in every screenshot; its close button is the span after the text.
      await page.getByText('To help make Neo4j Browser better').locator('xpath=following-sibling::span[1]')
        .click({ timeout: 5_000 }).catch(() => undefined);
      await screenshot('connected');
      expect(await page.getByText(`${bolt.protocol}//${bolt.host}`).count()).toBeGreaterThan(0);
    }, STEP_TIMEOUT_MS);

    it("sets the guide's parameters with its :params block", async () => {
      const frame = await run(guide.paramsCommand);
      const shown = frame.locator('[data-testid="rawParamData"]');
      await shown.getByText(incidentId).waitFor({ timeout: UI_TIMEOUT_MS });
      await screenshot('params');
      // What the Browser now holds: the README's values (its numbers as floats, e.g. 17173049.0).
      expect(JSON.parse(await shown.innerText())).toEqual(guide.params);
    }, STEP_TIMEOUT_MS);

    it(`draws "${neighbourhood.title}" and lists the incident in its table`, async () => {
      const frame = await run(neighbourhood.text);
      // The Graph view: one SVG group per node, captions from `name`.
      await expect.poll(() => frame.locator('g.node').count(), { timeout: UI_TIMEOUT_MS }).toBeGreaterThan(3);
      await page.waitForTimeout(3_000); // let the force layout settle before the picture
      await screenshot('neighbourhood-graph');
      await frame.locator('[data-testid="cypherFrameSidebarTable"]').click();
      await frame.getByText(incidentId).first().waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await streamedRecords(frame)).toBeGreaterThan(0);
      await screenshot('neighbourhood-table');
    }, STEP_TIMEOUT_MS);

    it(`tabulates "${receivers.title}"`, async () => {
      const frame = await run(receivers.text);
      await frame.getByText(TOP_RECEIVER).first().waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await streamedRecords(frame)).toBeGreaterThan(0);
      expect(await frame.innerText()).toContain('eip155:1:0xef1c6e67703c7bd7107eed8303fbe6ec2554bf6b');
      await screenshot('top-receivers');
    }, STEP_TIMEOUT_MS);
  });
}
