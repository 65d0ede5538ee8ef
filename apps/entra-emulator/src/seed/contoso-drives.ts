import { driveIdOf, driveItemId } from '../drives/drive-ids';
import { nameGuid } from '../util/ids';
import type { SeedContent, SeedDrive, SeedDriveItem, SeedSite } from './types';

/**
 * Contoso's SharePoint: the root site (everyone), the Marketing and Engineering group sites, and a
 * OneDrive per user, each with folders and files of every common type. A few files are readable by
 * some people only; two are large and generated on demand. The table in docs/emulator.md lists them.
 */

export const MIB = 1024 * 1024;

interface Node {
  name: string;
  content?: SeedContent;
  readers?: string[];
  children?: Node[];
  by?: string;
}

const file = (name: string, content: SeedContent, extra: Omit<Node, 'name' | 'content'> = {}): Node => ({
  name,
  content,
  ...extra,
});
const folder = (name: string, children: Node[], extra: Omit<Node, 'name' | 'children'> = {}): Node => ({
  name,
  children,
  ...extra,
});

const text = (value: string): SeedContent => ({ kind: 'text', text: value });

function site(path: string, displayName: string, extra: Partial<SeedSite> = {}): SeedSite {
  return { id: nameGuid(`site:${path}`), webId: nameGuid(`web:${path}`), path, displayName, ...extra };
}

/** The library of a site (its `Documents`, or a OneDrive) with the tree flattened into items. */
function library(owner: SeedSite, name: string, author: string, nodes: Node[]): SeedDrive {
  const listId = nameGuid(`list:${owner.path}:Documents`);
  const id = driveIdOf(owner.id, owner.webId, listId);
  const rootId = driveItemId(`${owner.path}:`);
  const items: SeedDriveItem[] = [];
  let n = 0;
  const walk = (children: Node[], parentId: string | undefined, path: string) => {
    for (const node of children) {
      const itemPath = `${path}/${node.name}`;
      const itemId = driveItemId(`${owner.path}:${itemPath}`);
      n++;
      items.push({
        id: itemId,
        name: node.name,
        ...(parentId ? { parentId } : {}),
        ...(node.content ? { content: node.content } : {}),
        ...(node.readers ? { readers: node.readers } : {}),
        createdBy: node.by ?? author,
        // Spread over December and January, newest first in the seed's order.
        lastModifiedDateTime: new Date(Date.UTC(2026, 0, 12, 9, 0, 0) - n * 7 * 3600_000).toISOString(),
      });
      if (node.children) walk(node.children, itemId, itemPath);
    }
  };
  walk(nodes, undefined, '');
  return { id, listId, name, siteId: owner.id, rootId, items };
}

export interface ContosoDirectoryIds {
  userId(alias: string): string;
  groupId(nickname: string): string;
  /** Every user: alias, display name and photo colour. */
  people: Array<{ alias: string; displayName: string; color: string }>;
}

export function contosoSharePoint(ids: ContosoDirectoryIds): { sites: SeedSite[]; drives: SeedDrive[] } {
  const { userId, groupId } = ids;
  const root = site('/', 'Contoso', { description: 'The Contoso intranet' });
  const marketing = site('/sites/marketing', 'Marketing', {
    description: 'Everyone in Marketing, worldwide',
    groupId: groupId('marketing'),
  });
  const engineering = site('/sites/engineering', 'Engineering', {
    description: 'Product engineering',
    groupId: groupId('engineering'),
  });

  const rootDrive = library(root, 'Documents', userId('patti'), [
    file('Employee handbook.pdf', {
      kind: 'pdf',
      title: 'Contoso employee handbook',
      lines: ['Welcome to Contoso.', 'Working hours, leave and expenses are described below.'],
    }),
    file('Holiday calendar 2026.xlsx', {
      kind: 'xlsx',
      rows: [
        ['Holiday', 'Date'],
        ["New Year's Day", '2026-01-01'],
        ['Labour Day', '2026-05-01'],
      ],
    }),
    file('Welcome.txt', text('Welcome to the Contoso intranet.\n')),
    // 250 notices: more than one page of children (Graph pages by 200).
    folder(
      'Archive',
      Array.from({ length: 250 }, (_, i) => {
        const n = String(i + 1).padStart(3, '0');
        return file(`Notice ${n}.txt`, text(`Contoso notice ${n}.\n`));
      }),
    ),
  ]);

  const marketingDrive = library(marketing, 'Documents', userId('megan'), [
    file('Readme.txt', text('Marketing team library. Brand assets are in Brand, campaigns in Campaigns.\n')),
    file(
      'Press release draft.docx',
      { kind: 'docx', paragraphs: ['Contoso announces its spring collection.', 'Embargoed until launch.'] },
      { readers: [userId('adele'), userId('megan')], by: userId('adele') },
    ),
    folder('Brand', [
      file('Brand guidelines.pdf', {
        kind: 'pdf',
        title: 'Contoso brand guidelines',
        lines: ['Primary colour: Contoso blue #0f6cbd.', 'Use the logo on white or blue only.'],
      }),
      file('Logo.png', { kind: 'png', width: 128, height: 128, color: '#0f6cbd' }),
      file('Hero banner.jpg', { kind: 'jpeg', width: 640, height: 360 }),
    ]),
    folder('Campaigns', [
      file('Spring launch plan.docx', {
        kind: 'docx',
        paragraphs: ['Spring launch plan', 'Goals, audiences, channels and dates for the spring launch.'],
      }),
      file('Campaign budget.xlsx', {
        kind: 'xlsx',
        rows: [
          ['Channel', 'Budget (EUR)'],
          ['Social', 42000],
          ['Print', 18000],
          ['Events', 30000],
        ],
      }),
      file('Launch deck.pptx', { kind: 'pptx', slides: ['Spring launch', 'Audience', 'Timeline'] }),
      file('Campaign footage.mp4', {
        kind: 'pattern',
        size: 256 * MIB,
        seed: 'Campaign footage.mp4',
        mimeType: 'video/mp4',
      }),
    ]),
    folder(
      'Leadership',
      [
        file('Salary review.xlsx', {
          kind: 'xlsx',
          rows: [
            ['Name', 'Band'],
            ['(confidential)', 0],
          ],
        }),
        file('Reorg notes.docx', { kind: 'docx', paragraphs: ['Confidential: leadership only.'] }),
      ],
      { readers: [userId('megan'), userId('miriam')] },
    ),
  ]);

  const engineeringDrive = library(engineering, 'Documents', userId('lee'), [
    file('Architecture overview.pdf', {
      kind: 'pdf',
      title: 'Architecture overview',
      lines: ['Services, data flows and trust boundaries.'],
    }),
    file('API spec.docx', { kind: 'docx', paragraphs: ['API specification', 'Version 1.0'] }),
    folder('Release', [
      file('Release notes.txt', text('Release 1.0\n- First release.\n')),
      // Larger than any sensible attachment limit: for "too large" refusals that must not download.
      file('Installer.iso', {
        kind: 'pattern',
        size: 1024 * MIB,
        seed: 'Installer.iso',
        mimeType: 'application/x-iso9660-image',
      }),
    ]),
  ]);

  const personalSites: SeedSite[] = [];
  const oneDrives: SeedDrive[] = [];
  for (const person of ids.people) {
    const personal = site(`/personal/${person.alias}_contoso_test`, person.displayName, {
      ownerId: userId(person.alias),
    });
    personalSites.push(personal);
    const extras: Node[] =
      person.alias === 'adele'
        ? [
            file('Q3 report.docx', { kind: 'docx', paragraphs: ['Q3 report', 'Retail results by region.'] }),
            file('Expenses.xlsx', {
              kind: 'xlsx',
              rows: [
                ['Date', 'Item', 'Amount'],
                ['2026-01-07', 'Train', 86.5],
              ],
            }),
            file('Vacation.jpg', { kind: 'jpeg', width: 320, height: 240 }),
            file('Screen recording.mp4', {
              kind: 'pattern',
              size: 32 * MIB,
              seed: 'Screen recording.mp4',
              mimeType: 'video/mp4',
            }),
          ]
        : person.alias === 'megan'
          ? [
              file(
                'Shared with Adele.docx',
                { kind: 'docx', paragraphs: ['Notes for Adele.'] },
                { readers: [userId('megan'), userId('adele')] },
              ),
            ]
          : [];
    oneDrives.push(
      library(personal, 'OneDrive', userId(person.alias), [
        file('Notes.txt', text(`${person.displayName}'s notes.\n`)),
        folder('Photos', [file('Profile.png', { kind: 'png', width: 64, height: 64, color: person.color })]),
        ...extras,
      ]),
    );
  }

  return {
    sites: [root, marketing, engineering, ...personalSites],
    drives: [rootDrive, marketingDrive, engineeringDrive, ...oneDrives],
  };
}
