import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's `docs/` folder. */
const DOCS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs');

/**
 * The generated section of a document in `docs/` (worked examples rendered from the code that
 * the unit tests run), between two markers naming its source: rewritten by the slice's `docs`
 * script, checked by its unit test so the document cannot drift from the code.
 */
export function generatedSection(docsFile: string, source: string) {
  const path = join(DOCS_DIR, docsFile);
  const begin = `<!-- examples:begin (generated from ${source}) -->`;
  const end = '<!-- examples:end -->';
  /** the document with its generated section replaced by `section` */
  const splice = (doc: string, section: string) => {
    const from = doc.indexOf(begin);
    const to = doc.indexOf(end);
    if (from < 0 || to < from)
      throw new Error(`docs/${docsFile} lacks the markers ${begin} … ${end}`);
    return doc.slice(0, from) + section + doc.slice(to + end.length);
  };
  return {
    path,
    /** the section: the rendered lines between the markers */
    wrap: (lines: readonly string[]) => [begin, '', ...lines, end].join('\n'),
    splice,
    /** the document as it is on disk, with `section` in place */
    withSection: (section: string) => {
      const doc = readFileSync(path, 'utf8');
      return { doc, next: splice(doc, section) };
    },
    /** rewrites the document's section; says whether anything changed */
    write(section: string): boolean {
      const { doc, next } = this.withSection(section);
      if (next !== doc) writeFileSync(path, next);
      return next !== doc;
    },
  };
}
