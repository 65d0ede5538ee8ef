import { describe, expect, it } from 'vitest';
import { attachmentDisposition, byteRange } from './content-disposition';

describe('attachmentDisposition', () => {
  it.each([
    ['Report.pdf', `attachment; filename="Report.pdf"; filename*=UTF-8''Report.pdf`],
    ['Q3 "final".docx', `attachment; filename="Q3 _final_.docx"; filename*=UTF-8''Q3%20%22final%22.docx`],
    [
      'Brochure – été.pdf',
      `attachment; filename="Brochure _ _t_.pdf"; filename*=UTF-8''Brochure%20%E2%80%93%20%C3%A9t%C3%A9.pdf`,
    ],
    [
      'a\r\nSet-Cookie: x=1.txt',
      `attachment; filename="a__Set-Cookie: x=1.txt"; filename*=UTF-8''a__Set-Cookie%3A%20x%3D1.txt`,
    ],
    ['../../etc/passwd', `attachment; filename="__.._etc_passwd"; filename*=UTF-8''__.._etc_passwd`],
    ["it's (1).txt", `attachment; filename="it's (1).txt"; filename*=UTF-8''it%27s%20%281%29.txt`],
    ['', `attachment; filename="download"; filename*=UTF-8''download`],
  ])('%j', (name, header) => {
    expect(attachmentDisposition(name)).toBe(header);
  });
});

describe('byteRange', () => {
  it.each([
    [undefined, 100, undefined],
    ['bytes=0-9', 100, [0, 9]],
    ['bytes=90-', 100, [90, 99]],
    ['bytes=90-500', 100, [90, 99]],
    ['bytes=-10', 100, [90, 99]],
    ['bytes=-500', 100, [0, 99]],
    ['bytes=100-', 100, 'unsatisfiable'],
    ['bytes=-0', 100, 'unsatisfiable'],
    ['bytes=0-1,5-6', 100, undefined],
    ['items=0-1', 100, undefined],
    ['bytes=9-1', 100, undefined],
  ] as const)('%s of %d → %j', (header, size, expected) => {
    expect(byteRange(header, size)).toEqual(expected);
  });
});
