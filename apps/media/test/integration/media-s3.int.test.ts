import { mediaSuite } from './media-suite.js';

describe('media on an S3 server (s3rver)', () => mediaSuite('s3'));
