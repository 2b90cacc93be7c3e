/**
 * Renders the registry section of docs/events.md from `EVENT_REGISTRY`, so the document cannot
 * drift from the code: `pnpm --filter @trellis/agreements docs` rewrites it, a unit test fails
 * when it is stale.
 */
import { generatedSection } from '@trellis/kit';
import { EVENT_REGISTRY } from './registry.js';

export const REGISTRY_DOC = generatedSection(
  'events.md',
  'subgraphs/agreements/src/events/registry.ts',
);

export function renderRegistrySection(): string {
  const lines = [
    '| type | v | slice | aggregate | belongs to | emitted when |',
    '| --- | --- | --- | --- | --- | --- |',
    ...EVENT_REGISTRY.map(
      (e) =>
        `| [\`${e.type}\`](#${e.type.replace(/[._]/g, '')}) | ${e.version} | ${e.slice} | ${e.aggregateType} | ${e.audience} | ${e.when} |`,
    ),
    '',
    ...EVENT_REGISTRY.flatMap((e) => [
      `### ${e.type}`,
      '',
      `Version ${e.version}. Emitted by ${e.slice} when ${e.when}. Payload (JSON Schema):`,
      '',
      '```json',
      JSON.stringify(e.schema, null, 2),
      '```',
      '',
    ]),
  ];
  return REGISTRY_DOC.wrap(lines);
}
