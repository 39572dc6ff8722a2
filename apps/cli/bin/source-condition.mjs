// Module resolve hook (node:module register): resolves workspace packages to their TypeScript sources by adding
// the `@kolmo/source` export condition, the same one tsconfig (customConditions) and vitest use.
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: ['@kolmo/source', ...context.conditions] });
}
