// s3rver ships no types; s3-server.ts narrows the constructor to what it uses.
declare module 's3rver' {
  const S3rver: unknown;
  export default S3rver;
}
