// Helpers for the tests of stages and plugins (`@kolmo/core/testing`): records shaped like a real run's.
export * from './sample-run.ts';
