/**
 * The contribution point every plugin binds its stage descriptors to (multi-bound, as in Theia).
 * One token for all kinds: a descriptor names its own kind, so a plugin binds everything the same way.
 */
export const StageContribution: unique symbol = Symbol.for('kolmo.StageContribution');
