import { escapeHtml as xml } from '../../util/html';
import { zip } from './zip';

// Minimal Office Open XML packages: the parts a reader needs to find the text, nothing more.

const CT = 'http://schemas.openxmlformats.org/package/2006/content-types';
const PR = 'http://schemas.openxmlformats.org/package/2006/relationships';
const OFFICE_DOC = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function contentTypes(overrides: Array<[part: string, type: string]>): string {
  return `${HEAD}<Types xmlns="${CT}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides
    .map(([part, type]) => `<Override PartName="${part}" ContentType="${type}"/>`)
    .join('')}</Types>`;
}

function relationships(rels: Array<[id: string, type: string, target: string]>): string {
  return `${HEAD}<Relationships xmlns="${PR}">${rels
    .map(([id, type, target]) => `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`)
    .join('')}</Relationships>`;
}

export function docx(paragraphs: string[]): Buffer {
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const body = paragraphs
    .map((p) => `<w:p><w:r><w:t xml:space="preserve">${xml(p)}</w:t></w:r></w:p>`)
    .join('');
  return zip([
    {
      name: '[Content_Types].xml',
      data: contentTypes([
        [
          '/word/document.xml',
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
        ],
      ]),
    },
    { name: '_rels/.rels', data: relationships([['rId1', OFFICE_DOC, 'word/document.xml']]) },
    {
      name: 'word/document.xml',
      data: `${HEAD}<w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`,
    },
  ]);
}

export function xlsx(rows: Array<Array<string | number>>): Buffer {
  const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const column = (i: number) => String.fromCharCode(65 + i);
  const sheetRows = rows
    .map(
      (row, r) =>
        `<row r="${r + 1}">${row
          .map((value, i) => {
            const ref = `${column(i)}${r + 1}`;
            return typeof value === 'number'
              ? `<c r="${ref}"><v>${value}</v></c>`
              : `<c r="${ref}" t="inlineStr"><is><t>${xml(value)}</t></is></c>`;
          })
          .join('')}</row>`,
    )
    .join('');
  return zip([
    {
      name: '[Content_Types].xml',
      data: contentTypes([
        ['/xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'],
        [
          '/xl/worksheets/sheet1.xml',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
        ],
      ]),
    },
    { name: '_rels/.rels', data: relationships([['rId1', OFFICE_DOC, 'xl/workbook.xml']]) },
    {
      name: 'xl/workbook.xml',
      data: `${HEAD}<workbook xmlns="${S}" xmlns:r="${REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: relationships([['rId1', `${REL}/worksheet`, 'worksheets/sheet1.xml']]),
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `${HEAD}<worksheet xmlns="${S}"><sheetData>${sheetRows}</sheetData></worksheet>`,
    },
  ]);
}

export function pptx(slides: string[]): Buffer {
  const P = 'http://schemas.openxmlformats.org/presentationml/2006/main';
  const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
  const slideType = 'application/vnd.openxmlformats-officedocument.presentationml.slide+xml';
  const slide = (text: string) =>
    `${HEAD}<p:sld xmlns:p="${P}" xmlns:a="${A}"><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id="2" name="Title"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>${xml(text)}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`;
  return zip([
    {
      name: '[Content_Types].xml',
      data: contentTypes([
        [
          '/ppt/presentation.xml',
          'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
        ],
        ...slides.map((_, i): [string, string] => [`/ppt/slides/slide${i + 1}.xml`, slideType]),
      ]),
    },
    { name: '_rels/.rels', data: relationships([['rId1', OFFICE_DOC, 'ppt/presentation.xml']]) },
    {
      name: 'ppt/presentation.xml',
      data: `${HEAD}<p:presentation xmlns:p="${P}" xmlns:r="${REL}"><p:sldIdLst>${slides
        .map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 1}"/>`)
        .join(
          '',
        )}</p:sldIdLst><p:sldSz cx="12192000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>`,
    },
    {
      name: 'ppt/_rels/presentation.xml.rels',
      data: relationships(slides.map((_, i) => [`rId${i + 1}`, `${REL}/slide`, `slides/slide${i + 1}.xml`])),
    },
    ...slides.map((text, i) => ({ name: `ppt/slides/slide${i + 1}.xml`, data: slide(text) })),
  ]);
}
