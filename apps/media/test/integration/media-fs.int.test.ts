import { mediaSuite } from './media-suite.js';

describe('media on the filesystem backend', () => mediaSuite('fs'));
