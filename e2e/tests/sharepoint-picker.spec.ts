import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { appUrl, expect, signInAs, snap, test } from '../support/fixtures';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Adele signs in and starts a conversation called `name` (with a unique suffix). */
async function newConversationAsAdele(page: Page, name: string) {
  await signInAs(page, 'adele@contoso.test');
  const title = `${name} ${Date.now().toString(36)}`;
  await page.getByLabel('New conversation').fill(title);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

/** Attach → From SharePoint: the picker's frame. */
async function openPicker(page: Page) {
  await page.getByRole('button', { name: 'Attach' }).click();
  await page.getByRole('menuitem', { name: 'From SharePoint' }).click();
  await expect(page.getByRole('dialog', { name: 'Attach from SharePoint' })).toBeVisible({ timeout: 15_000 });
  return page.frameLocator('iframe[title="SharePoint file picker"]');
}

test.describe('attaching files with the SharePoint File Picker', () => {
  test('Adele attaches two files from Marketing’s library through the real picker page, and downloads one back', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await newConversationAsAdele(page, 'Brand refresh');

    // The host page records every attach request: a forged message must not cause one.
    const attachRequests: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/attachments/sharepoint')) {
        attachRequests.push(request.postData() ?? '');
      }
    });

    const picker = await openPicker(page);

    // A page of another origin (or a script on ours) posting picker messages is ignored: only the
    // SharePoint origin, the picker's own window and the channel the host created are believed.
    await page.evaluate(() => {
      window.postMessage({ type: 'initialize', channelId: 'forged' }, '*');
      window.postMessage(
        {
          type: 'command',
          channelId: 'forged',
          data: {
            command: 'pick',
            items: [
              { id: 'x', parentReference: { driveId: 'y' }, '@sharePoint.endpoint': 'https://evil.test' },
            ],
          },
        },
        '*',
      );
    });

    // Browse to Marketing › Brand and pick two files, as a user would.
    await picker.getByRole('button', { name: 'Marketing', exact: false }).first().click({ timeout: 20_000 });
    await picker.getByRole('button', { name: 'Open folder Brand' }).click();
    await picker.getByRole('checkbox', { name: 'Select Brand guidelines.pdf' }).check();
    await picker.getByRole('checkbox', { name: 'Select Logo.png' }).check();
    await snap(page, 'sharepoint-picker');
    await picker.getByRole('button', { name: 'Select', exact: true }).click();

    // Progress, then both files in the conversation's attachments.
    const attachments = page.getByRole('list', { name: 'Attachments' });
    await expect(attachments.getByRole('link', { name: /Brand guidelines\.pdf/ })).toBeVisible({
      timeout: 30_000,
    });
    await expect(attachments.getByRole('link', { name: /Logo\.png/ })).toBeVisible();
    await expect(page.getByRole('status', { name: 'Attaching' })).toContainText('2 of 2 files attached');
    await snap(page, 'attachments-done');
    expect(attachRequests).toHaveLength(1);
    const posted = JSON.parse(attachRequests[0] ?? '{}') as { items: Record<string, unknown>[] };
    expect(posted.items).toHaveLength(2);
    for (const item of posted.items) expect(Object.keys(item).sort()).toEqual(['driveId', 'itemId']);

    // Download one back: the bytes are the ones stored (sha256 in the list) and the ones SharePoint serves.
    const id = new URL(page.url()).pathname.split('/').pop();
    const list = await page.request.get(`${appUrl()}/api/conversations/${id}/attachments`, {
      headers: { 'X-CSRF': '1' },
    });
    const { attachments: stored } = (await list.json()) as {
      attachments: { id: string; name: string; sha256: string; size: number }[];
    };
    const logo = stored.find((a) => a.name === 'Logo.png');
    expect(logo).toBeDefined();
    const download = page.waitForEvent('download');
    await attachments.getByRole('link', { name: /Logo\.png/ }).click();
    const saved = await (await download).path();
    const bytes = await readFile(saved);
    expect(bytes.length).toBe(logo!.size);
    expect(sha256(bytes)).toBe(logo!.sha256);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');

    // "Open" on a picked file downloads it straight from SharePoint through the BFF's proxy, without
    // attaching it: the same bytes as the stored attachment.
    const progress = page.getByRole('region', { name: 'Attaching from SharePoint' });
    const opened = page.waitForEvent('download');
    const open = progress.getByRole('link', { name: 'Open Logo.png from SharePoint, without attaching it' });
    expect(await open.getAttribute('href')).toMatch(
      /^\/api\/sharepoint\/drives\/[^/]+\/items\/[^/]+\/content$/,
    );
    await open.click();
    const openedBytes = await readFile(await (await opened).path());
    expect((await opened).suggestedFilename()).toBe('Logo.png');
    expect(openedBytes.length).toBe(logo!.size);
    expect(sha256(openedBytes)).toBe(logo!.sha256);
    // Nothing in the browser holds a Microsoft token once the picker is closed.
    const visible = await page.evaluate(() => ({
      cookies: document.cookie,
      local: JSON.stringify(localStorage),
      session: JSON.stringify(sessionStorage),
    }));
    expect(JSON.stringify(visible)).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
  });

  test('Recent lists the newest files of every location, searches them all, and a file picked there attaches', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await newConversationAsAdele(page, 'Recent files');
    const picker = await openPicker(page);

    // Gatehouse asks for the Recent pivot: it sits under My files in the locations.
    const locations = picker.getByRole('navigation', { name: 'Locations' }).getByRole('button');
    await expect(locations.first()).toHaveText('My files', { timeout: 20_000 });
    await expect(locations.nth(1)).toHaveText('Recent');
    await locations.nth(1).click();
    await expect(picker.getByRole('heading', { name: 'Recent' })).toBeVisible();
    await expect(locations.nth(1)).toHaveAttribute('aria-current', 'location');

    // Files only, newest first, from more than one library (Marketing's and the intranet's).
    const rows = picker.locator('#rows tr');
    await expect(rows.first()).toBeVisible();
    expect(await rows.count()).toBeLessThanOrEqual(20);
    await expect(picker.getByRole('button', { name: /^Open folder / })).toHaveCount(0);
    await expect(picker.getByRole('checkbox', { name: 'Select Readme.txt' })).toBeVisible();
    await expect(picker.getByRole('checkbox', { name: 'Select Employee handbook.pdf' })).toBeVisible();
    await snap(page, 'sharepoint-picker-recent');

    // Its search covers every location: a file deep in Marketing's Brand folder is found.
    await picker.getByRole('searchbox').fill('guidelines');
    await picker.getByRole('searchbox').press('Enter');
    await expect(picker.getByRole('checkbox', { name: 'Select Brand guidelines.pdf' })).toBeVisible();
    await picker.getByRole('checkbox', { name: 'Select Brand guidelines.pdf' }).check();
    await picker.getByRole('button', { name: 'Select', exact: true }).click();

    const attachments = page.getByRole('list', { name: 'Attachments' });
    await expect(attachments.getByRole('link', { name: /Brand guidelines\.pdf/ })).toBeVisible({
      timeout: 30_000,
    });
  });
});
