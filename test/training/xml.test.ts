import { describe, expect, it } from 'vitest';
import { parseXml } from './xml.js';

describe('the tiny XML checker used by the SVG tests', () => {
  it('reads a well-formed document', () => {
    const root = parseXml('<?xml version="1.0"?>\n<svg a="1"><g b=\'x &amp; y\'><text>1 &lt; 2</text><rect/></g></svg>\n');
    expect(root.name).toBe('svg');
    expect(root.children[0]!.attrs['b']).toBe('x & y');
    expect(root.children[0]!.children[0]!.text).toBe('1 < 2');
    expect(root.children[0]!.children[1]!.name).toBe('rect');
  });

  it.each([
    ['<svg><g></svg>', /does not close/],
    ['<svg><g></g>', /never closed/],
    ['<svg a=1></svg>', /bad attribute/],
    ['<svg a="1" a="2"></svg>', /duplicate/],
    ['<svg>a & b</svg>', /bare &/],
    ['<svg>&nbsp;</svg>', /unknown entity/],
    ['<svg></svg><svg></svg>', /second root/],
    ['<svg a="1"b="2"></svg>', /missing space/],
  ])('rejects %s', (xml, message) => {
    expect(() => parseXml(xml)).toThrow(message);
  });
});
