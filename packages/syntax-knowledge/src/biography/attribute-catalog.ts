import { birthDates, wordList } from './word-lists.ts';

/**
 * The attributes of the biography instance: each has a value list (uniform under G0), sentence templates and
 * a QA question. Templates have exactly one `{name}` and one `{value}`, each standing alone as a token (after a
 * space or at the start, before a space, punctuation or the end), end with a full stop, and differ from each
 * other in their literal words, so rendering is injective (tested).
 */
export const attributeNames = ['birthDate', 'birthCity', 'university', 'major', 'employer'] as const;
export type AttributeName = (typeof attributeNames)[number];

export interface AttributeDefinition {
  readonly name: AttributeName;
  readonly description: string;
  /** The full shipped value list; a config takes a prefix of it. */
  values(): readonly string[];
  /** Core sentences; the full template set is every opener × every core. */
  readonly cores: readonly string[];
  /** A QA question with a `{name}` slot, whose answer is the value. */
  readonly question: string;
}

export const attributeCatalog: Readonly<Record<AttributeName, AttributeDefinition>> = {
  birthDate: {
    name: 'birthDate',
    description: 'date of birth, "d Month yyyy" (1900–1999)',
    values: birthDates,
    cores: [
      '{name} was born on {value}.',
      'On {value}, {name} was born.',
      'The birth date of {name} is {value}.',
      '{name} came into the world on {value}.',
      '{name} entered life on {value}.',
      'The records list {value} as the birth date of {name}.',
      'Born on {value}, {name} grew up quickly.',
      '{name} has a birthday falling on {value}.',
    ],
    question: 'When was {name} born?',
  },
  birthCity: {
    name: 'birthCity',
    description: 'city of birth',
    values: () => wordList('cities'),
    cores: [
      '{name} was born in {value}.',
      'In {value}, {name} was born.',
      'The birthplace of {name} is {value}.',
      '{name} is a native of {value}.',
      '{name} came from {value}.',
      'The hometown of {name} is {value}.',
      '{name} was raised in {value}.',
      'Born in {value}, {name} moved away later.',
    ],
    question: 'Where was {name} born?',
  },
  university: {
    name: 'university',
    description: 'university attended',
    values: () => wordList('universities'),
    cores: [
      '{name} studied at {value}.',
      '{name} graduated from {value}.',
      '{name} attended {value}.',
      '{name} is an alumnus of {value}.',
      'The alma mater of {name} is {value}.',
      '{name} earned a degree at {value}.',
      'At {value}, {name} completed a degree.',
      '{name} enrolled at {value}.',
    ],
    question: 'Which university did {name} attend?',
  },
  major: {
    name: 'major',
    description: 'field of study',
    values: () => wordList('majors'),
    cores: [
      '{name} majored in {value}.',
      '{name} studied {value}.',
      'The major of {name} was {value}.',
      '{name} specialized in {value}.',
      '{name} earned a degree in {value}.',
      '{name} chose {value} as a major.',
      'In college, {name} focused on {value}.',
      '{name} wrote a thesis in {value}.',
    ],
    question: 'What did {name} study?',
  },
  employer: {
    name: 'employer',
    description: 'employer',
    values: () => wordList('employers'),
    cores: [
      '{name} works for {value}.',
      '{name} is employed by {value}.',
      '{name} took a job at {value}.',
      'The employer of {name} is {value}.',
      '{name} joined {value}.',
      '{name} has a position at {value}.',
      'At {value}, {name} leads a team.',
      '{name} earns a living at {value}.',
    ],
    question: 'Which company employs {name}?',
  },
};

/** Sentence openers: template t uses core t mod C after opener ⌊t / C⌋ (opener 0 is none). */
export const sentenceOpeners: readonly string[] = [
  '',
  'According to the records, ',
  'It is known that ',
  'Public sources state that ',
  'As the archive notes, ',
  'Interestingly, ',
  'For the record, ',
  'Reportedly, ',
];

export function maxTemplates(attribute: AttributeName): number {
  return attributeCatalog[attribute].cores.length * sentenceOpeners.length;
}

/** The text of template t of an attribute (opener + core, the core's first word lower-cased after an opener). */
export function templateText(attribute: AttributeName, template: number): string {
  const { cores } = attributeCatalog[attribute];
  if (!(template >= 0 && template < maxTemplates(attribute))) throw new RangeError(`${attribute} has ${maxTemplates(attribute)} templates, asked for ${template}`);
  const core = cores[template % cores.length];
  const opener = sentenceOpeners[Math.floor(template / cores.length)];
  if (opener === '' || core.startsWith('{')) return opener + core;
  return opener + core[0].toLowerCase() + core.slice(1);
}
