import { documentIdOf } from '@trellis/gateway';
import { describe, expect, it } from 'vitest';
import { manifestText, trustedDocumentsOf } from './documents.js';

describe('trustedDocumentsOf', () => {
  const files = [
    {
      source: 'clients/web/books.graphql',
      text: 'query Books { books { ...Book } }\nquery Count { count }',
    },
    { source: 'clients/web/fragments.graphql', text: 'fragment Book on Book { id title }' },
  ];

  it('one document per operation, with the fragments it uses, keyed by its SHA-256', () => {
    const documents = trustedDocumentsOf(files);
    const books =
      'query Books {\n  books {\n    ...Book\n  }\n}\n\nfragment Book on Book {\n  id\n  title\n}';
    expect(documents[documentIdOf(books)]).toEqual({
      operation: 'Books',
      source: 'clients/web/books.graphql',
      document: books,
    });
    const count = Object.values(documents).find((d) => d.operation === 'Count');
    expect(count?.document).not.toContain('fragment');
    expect(Object.keys(documents)).toHaveLength(2);
  });

  it('refuses an anonymous operation (it could not be named in the registry)', () => {
    expect(() => trustedDocumentsOf([{ source: 'a.graphql', text: '{ books { id } }' }])).toThrow(
      /anonymous query/,
    );
  });

  it('writes a stable manifest, whatever the order of the files', () => {
    expect(manifestText(trustedDocumentsOf(files))).toBe(
      manifestText(trustedDocumentsOf([...files].reverse())),
    );
  });
});
