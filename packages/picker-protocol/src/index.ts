export * from './host';
export * from './initialize';
export * from './launch';
export * from './messages';
export * from './picked-items';
export * from './resources';
