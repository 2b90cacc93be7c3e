import { describe, expect, it } from 'vitest';
import { exampleTabs, renderExplorer } from './explorer.js';
import { documentIdOf } from './trusted-documents.js';

const doc = (operation: string, source: string, document: string) => ({
  [documentIdOf(document)]: { operation, source, document },
});
const documents = {
  ...doc(
    'Books',
    'test/contract/catalog.graphql',
    'query Books { books { ...B } }\nfragment B on Book { id }',
  ),
  ...doc(
    'Book',
    'test/contract/catalog.graphql',
    'query Book { book { ...B } }\nfragment B on Book { id }',
  ),
  ...doc('Flagship', 'test/contract/flagship.graphql', 'query Flagship { a }'),
};

describe('exampleTabs', () => {
  it('one tab per file, the flagship first, shared fragments once', () => {
    const tabs = exampleTabs(documents);
    expect(tabs.map((t) => t.source)).toEqual([
      'test/contract/flagship.graphql',
      'test/contract/catalog.graphql',
    ]);
    expect(tabs[1]!.query.match(/fragment B/g)).toHaveLength(1);
    expect(tabs[1]!.query).toContain('query Books');
    expect(tabs[1]!.query).toContain('query Book ');
  });
});

describe('renderExplorer', () => {
  const page = renderExplorer(documents, {
    token: 'dev-token-123',
    variables: { orgId: 'org-1' },
  });

  it('inlines everything: no script, style, font or image from another host', () => {
    const external = /(?:src|href)\s*=\s*["']?(?:https?:)?\/\//gi;
    expect(page.html.match(external) ?? []).toEqual([]);
    expect(page.html).not.toMatch(/apollographql|embeddable-sandbox|unpkg|jsdelivr|cdn\./i);
  });

  it('pre-fills the examples, their variables and the token', () => {
    expect(page.html).toContain('query Flagship');
    expect(page.html).toContain('dev-token-123');
    expect(page.html).toContain('org-1');
    expect(page.etag).toMatch(/^"[\w-]{32}"$/);
  });
});
