// A tiny XML reader for the SVG tests: checks well-formedness (one root, matched and properly
// nested tags, quoted attributes without duplicates, only the five predefined entities or numeric
// references, no stray `<` or `&`) and returns the element tree.

/** An element: its name, attributes and children, and its own text (entities decoded). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, where: number): string {
  return s.replace(/&([^;\s]*);?/g, (m, name: string) => {
    if (!m.endsWith(';')) throw new Error(`bare & at ${where}`);
    if (/^#\d+$/.test(name)) return String.fromCodePoint(Number(name.slice(1)));
    if (/^#x[0-9a-f]+$/i.test(name)) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (!(name in ENTITIES)) throw new Error(`unknown entity &${name}; at ${where}`);
    return ENTITIES[name]!;
  });
}

/** Parses `xml`, throwing an Error that says where it is not well-formed. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const NAME = /^[A-Za-z_:][\w:.-]*/;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text.includes('>')) throw new Error(`stray > at ${i}`);
    if (stack.length > 0) stack[stack.length - 1]!.text += decode(text, i);
    else if (text.trim() !== '') throw new Error(`text outside the root at ${i}`);
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const m = NAME.exec(xml.slice(i + 2));
      const close = xml.indexOf('>', i);
      if (!m || close < 0 || xml.slice(i + 2 + m[0].length, close).trim() !== '') throw new Error(`bad end tag at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[0]) throw new Error(`</${m[0]}> at ${i} does not close <${open?.name ?? 'nothing'}>`);
      i = close + 1;
      continue;
    }
    const m = NAME.exec(xml.slice(i + 1));
    if (!m) throw new Error(`bad tag at ${i}`);
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    i += 1 + m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))![0].length;
      i += ws;
      if (xml.startsWith('/>', i) || xml[i] === '>') break;
      if (ws === 0) throw new Error(`missing space before an attribute at ${i}`);
      const a = /^([A-Za-z_:][\w:.-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(xml.slice(i));
      if (!a) throw new Error(`bad attribute at ${i}: ${xml.slice(i, i + 30)}`);
      if (a[1]! in el.attrs) throw new Error(`duplicate attribute ${a[1]} at ${i}`);
      el.attrs[a[1]!] = decode(a[3] ?? a[4]!, i);
      i += a[0].length;
    }
    if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
    else if (root === null) root = el;
    else throw new Error(`a second root element at ${i}`);
    if (xml.startsWith('/>', i)) {
      i += 2;
    } else {
      i += 1;
      stack.push(el);
    }
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (root === null) throw new Error('no root element');
  return root;
}

/** Every element below `el` (depth first, `el` included) that `pred` accepts. */
export function findAll(el: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (pred(e)) out.push(e);
    e.children.forEach(walk);
  };
  walk(el);
  return out;
}

/** True when the element's class list has `cls`. */
export function hasClass(e: XmlElement, ...cls: string[]): boolean {
  const list = (e.attrs['class'] ?? '').split(/\s+/);
  return cls.every((c) => list.includes(c));
}
