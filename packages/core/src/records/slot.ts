/**
 * What part of the source a token belongs to (theory §2). Per-slot bits are the core diagnostic:
 * syntax tokens come from templates, knowledge tokens (names and attribute values) from the knowledge model.
 * `text` is for sources with no known structure (real text).
 */
export const Slot = { text: 0, syntax: 1, name: 2, value: 3 } as const;
export type Slot = (typeof Slot)[keyof typeof Slot];

export const slotNames = ['text', 'syntax', 'name', 'value'] as const;
export type SlotName = (typeof slotNames)[number];

/** Knowledge = entity names and attribute values. */
export function isKnowledgeSlot(slot: number): boolean {
  return slot === Slot.name || slot === Slot.value;
}
