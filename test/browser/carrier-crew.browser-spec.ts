import { systemClock } from '@wasteflow/event-store';
import { PARTIES } from '../support/fixtures';
import { readPdf } from '../support/pdf-reading';
import { crewOnManifestPdf } from '../support/extra-fixtures';
import { contentWidth, downloadOf, PHONE, screenshot, screenshotBoth } from './support/browser';
import { describeInBrowser, useConsoleApp } from './support/console-suite';

/**
 * The crew of a leg from the console (issue 14 item 1, "from the console"): on the carrier's 360 px phone
 * page the pickup names its driver and escort, the vehicle type and the transport licence; the API then
 * holds the driver by reference (GET /v1/manifests/{no}) and the 联单 downloaded from the manifest page
 * prints the name. The hand-over names the next carrier's driver the same way. On both forms a field's
 * message goes as soon as the field is edited, before any new submit, and only that field's.
 */
const SUITE = 'console trip crew and field messages in Chromium';
describeInBrowser(SUITE, () => {
  let manifestNo: string;
  const DRIVER = { name: '王驾驶', phone: '13800138000' };
  const ESCORT = { name: '赵押运', phone: '0571-88886666' };
  const LICENCE = '浙交运管许可杭字330100001234号';
  const NEXT_DRIVER = { name: '钱接力', phone: '13511112222' };
  const app = useConsoleApp({
    suiteFile: __filename,
    // the console stamps its writes with the browser's clock: the app runs on the system clock
    clock: systemClock,
    seed: 'browser-crew-seed',
    async given({ build }) {
      manifestNo = await build.issue([await build.generate(3.5)]);
    },
  });

  interface PersonView {
    personId: string;
    status: string;
    name?: string;
    phone?: string;
  }
  interface ManifestView {
    status: string;
    currentCarrierUscc?: string;
    pickup?: {
      vehicleType?: string;
      transportLicenceNo?: string;
      driver?: PersonView;
      escort?: PersonView;
      legs?: Record<string, { driver?: PersonView; vehicleType?: string }>;
    };
  }

  it('carrier: picks up on a 360 px phone naming driver, escort, vehicle type and licence; a mistyped phone’s message goes when it is corrected', async () => {
    const { context, page, errors } = await app.openAt(app.tokenOf('carrier'), '/pickups', PHONE);
    const card = page.locator(`[data-manifest="${manifestNo}"]`);
    await card.getByRole('button', { name: '起运' }).click();
    const form = card.locator('form[data-test=pickup]');
    await form.getByLabel('车牌号').fill('浙A·D12345');
    await form.getByLabel('驾驶员姓名').fill(DRIVER.name);
    await form.getByLabel('驾驶员电话').fill('call me');
    await form.getByLabel('押运员姓名').fill(ESCORT.name);
    await form.getByLabel('押运员电话').fill(ESCORT.phone);
    await form.getByLabel('车辆类型').fill('危险货物厢式运输车');
    await form.getByLabel('道路运输经营许可证号').fill(LICENCE);
    expect(await contentWidth(page)).toBeLessThanOrEqual(PHONE.width);

    // refused on the phone field, in Chinese, and nothing appended
    const before = await app.t.headPosition();
    await form.getByRole('button', { name: '确认起运' }).click();
    const phoneError = form.locator('.error[data-field="driver.phone"]');
    await phoneError.waitFor();
    expect(await phoneError.textContent()).toContain('请输入电话号码');
    expect(await form.getByLabel('驾驶员电话').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'carrier-pickup-crew-refused-phone');
    expect(await app.t.headPosition()).toBe(before);

    // corrected: the message goes at once, before any new submit, and so does the banner that pointed to it
    await form.getByLabel('驾驶员电话').fill(DRIVER.phone);
    await phoneError.waitFor({ state: 'detached' });
    expect(await form.getByLabel('驾驶员电话').getAttribute('aria-invalid')).toBe('false');
    expect(await form.locator('[data-test=problem]').count()).toBe(0);
    await screenshot(page, 'carrier-pickup-crew-phone');

    await form.getByRole('button', { name: '确认起运' }).click();
    await page.locator('[data-test=picked-up]').waitFor();

    // the API holds the people by reference and shows them to the manifest's readers
    const manifest = await app.apiGet<ManifestView>(`/v1/manifests/${manifestNo}`, app.tokenOf('generator'), {
      caughtUp: true,
    });
    expect(manifest.status).toBe('picked_up');
    expect(manifest.pickup).toMatchObject({
      vehicleType: '危险货物厢式运输车',
      transportLicenceNo: LICENCE,
      driver: { status: 'present', ...DRIVER },
      escort: { status: 'present', ...ESCORT },
    });
    expect(manifest.pickup?.driver?.personId).toMatch(/^p-[0-9a-f]{32}$/);
    // the tablet keeps the vehicle for the next pickup, never the people
    const kept = String(await page.evaluate('JSON.stringify({ ...localStorage })'));
    expect(kept).toContain(LICENCE);
    expect(kept).not.toContain(DRIVER.name);
    expect(kept).not.toContain(DRIVER.phone);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('generator: the 联单 downloaded from the manifest page prints the driver, the escort, the vehicle type and the licence', async () => {
    const { context, page, errors } = await app.openAt(app.tokenOf('generator'), `/manifests/${manifestNo}`);
    await page.locator('[data-test=manifest-print]').waitFor();
    // the page shows leg 1's crew as the API resolved it
    const crew =
      (await page.locator('[data-test=legs] [data-leg="1"] [data-test=leg-crew]').textContent()) ?? '';
    for (const value of [
      `驾驶员：${DRIVER.name} (${DRIVER.phone})`,
      `押运员：${ESCORT.name} (${ESCORT.phone})`,
      '车辆类型：危险货物厢式运输车',
      `道路运输经营许可证号：${LICENCE}`,
    ])
      expect(crew).toContain(value);
    const saved = await downloadOf(page, () => page.getByRole('button', { name: '下载联单 PDF' }).click());
    const text = (await readPdf(saved.bytes)).pages.join('\n').replace(/\s+/g, '');
    for (const value of crewOnManifestPdf(DRIVER, ESCORT, LICENCE, '危险货物厢式运输车'))
      expect(text).toContain(value);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('carrier: on the 360 px hand-over form each field’s message goes when that field is edited, the others stay; then hands over with the next driver', async () => {
    const { context, page, errors } = await app.openAt(app.tokenOf('carrier'), '/pickups', PHONE);
    const card = page.locator(`[data-carrying="${manifestNo}"]`);
    await card.getByRole('button', { name: '交接' }).click();
    const form = card.locator('form[data-test=handover]');
    await form.getByRole('button', { name: '确认交接' }).click();
    const messageOf = (field: string) => form.locator(`.error[data-field="${field}"]`);
    await messageOf('place').waitFor();
    await messageOf('vehiclePlate').waitFor();
    await messageOf('nextCarrierUscc').waitFor();
    await screenshot(page, 'carrier-handover-refused-phone');

    await form.getByLabel('交接地点').fill('宁波北仑港联运站');
    await messageOf('place').waitFor({ state: 'detached' });
    expect(await form.getByLabel('交接地点').getAttribute('aria-invalid')).toBe('false');
    // only the edited field's message went: the plate and the carrier are still marked, the banner stays
    expect(await messageOf('vehiclePlate').count()).toBe(1);
    expect(await messageOf('nextCarrierUscc').count()).toBe(1);
    expect(await form.locator('[data-test=problem]').count()).toBe(1);

    await form.getByLabel('下一承运单位').selectOption(PARTIES.otherCarrier.uscc);
    await messageOf('nextCarrierUscc').waitFor({ state: 'detached' });
    await form.getByLabel('车牌号').fill('浙B67890');
    await messageOf('vehiclePlate').waitFor({ state: 'detached' });
    expect(await form.locator('[data-test=problem]').count()).toBe(0);

    await form.getByLabel('驾驶员姓名').fill(NEXT_DRIVER.name);
    await form.getByLabel('驾驶员电话').fill(NEXT_DRIVER.phone);
    await form.getByLabel('车辆类型').fill('危险货物罐式运输车');
    expect(await contentWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'carrier-handover-crew-phone');
    await form.getByRole('button', { name: '确认交接' }).click();
    await page.locator('[data-test=handed-over]').waitFor();

    const manifest = await app.apiGet<ManifestView>(
      `/v1/manifests/${manifestNo}`,
      app.tokenOf('otherCarrier'),
      { caughtUp: true },
    );
    expect(manifest.currentCarrierUscc).toBe(PARTIES.otherCarrier.uscc);
    expect(manifest.pickup?.legs?.['2']).toMatchObject({
      vehicleType: '危险货物罐式运输车',
      driver: { status: 'present', ...NEXT_DRIVER },
    });
    // the first leg's crew is unchanged by the hand-over
    expect(manifest.pickup?.driver).toMatchObject({ name: DRIVER.name });
    expect(errors).toEqual([]);
    await context.close();
  });
  it('generator: after the hand-over the manifest page shows leg 2 with the next driver, leg 1 unchanged', async () => {
    const { context, page, errors } = await app.openAt(app.tokenOf('generator'), `/manifests/${manifestNo}`);
    const leg2 = page.locator('[data-test=legs] [data-leg="2"] [data-test=leg-crew]');
    await leg2.waitFor();
    const second = (await leg2.textContent()) ?? '';
    expect(second).toContain(`驾驶员：${NEXT_DRIVER.name} (${NEXT_DRIVER.phone})`);
    expect(second).toContain('车辆类型：危险货物罐式运输车');
    expect(second).not.toContain(ESCORT.name);
    const first =
      (await page.locator('[data-test=legs] [data-leg="1"] [data-test=leg-crew]').textContent()) ?? '';
    expect(first).toContain(`驾驶员：${DRIVER.name}`);
    await screenshotBoth(page, 'manifest-legs-crew');
    expect(errors).toEqual([]);
    await context.close();
  });
});
