export * from './backing.js';
export * from './child.js';
export * from './cpu-profile.js';
export * from './load.js';
export * from './machine.js';
export * from './measure.js';
export * from './ports.js';
export * from './report.js';
