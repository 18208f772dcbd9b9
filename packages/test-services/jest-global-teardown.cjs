module.exports = async function globalTeardown() {
  const containers = globalThis.__PLATFORM_CONTAINERS__ ?? [];
  await Promise.all(containers.map((c) => c.stop()));
};
