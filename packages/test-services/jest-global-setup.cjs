// Runs once per jest run, before any integration test: decides where PostgreSQL, Redis and RabbitMQ are.
// Env URLs win; else testcontainers when a Docker engine answers; else the standard local ports.
// Whatever is chosen must answer: a missing service fails the run loudly, it never skips tests.
const net = require('node:net');
const fs = require('node:fs');

const LOCAL = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: 'redis://127.0.0.1:6379',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
};

function reachable(url, timeoutMs = 2000) {
  const { hostname, port } = new URL(url);
  const defaults = { 'postgres:': 5432, 'redis:': 6379, 'amqp:': 5672 };
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) || defaults[new URL(url).protocol] });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function dockerAnswers() {
  if (process.env.DOCKER_HOST) return true;
  return fs.existsSync('/var/run/docker.sock');
}

async function startContainers() {
  const { PostgreSqlContainer } = require('@testcontainers/postgresql');
  const { RedisContainer } = require('@testcontainers/redis');
  const { RabbitMQContainer } = require('@testcontainers/rabbitmq');
  const [pg, redis, rabbit] = await Promise.all([
    new PostgreSqlContainer('postgres:15-alpine').start(),
    new RedisContainer('redis:7-alpine').start(),
    new RabbitMQContainer('rabbitmq:3.13-alpine').start(),
  ]);
  globalThis.__PLATFORM_CONTAINERS__ = [pg, redis, rabbit];
  return {
    DATABASE_URL: pg.getConnectionUri(),
    REDIS_URL: redis.getConnectionUrl(),
    AMQP_URL: rabbit.getAmqpUrl(),
  };
}

module.exports = async function globalSetup() {
  const fromEnv = Object.keys(LOCAL).filter((k) => process.env[k]);
  let urls;
  if (fromEnv.length === Object.keys(LOCAL).length) {
    urls = Object.fromEntries(Object.keys(LOCAL).map((k) => [k, process.env[k]]));
  } else if (fromEnv.length === 0 && dockerAnswers()) {
    try {
      urls = await startContainers();
    } catch (error) {
      process.stderr.write(`testcontainers could not start (${error.message}); trying the local ports\n`);
    }
  }
  urls ??= { ...LOCAL, ...Object.fromEntries(fromEnv.map((k) => [k, process.env[k]])) };

  const missing = [];
  for (const [key, url] of Object.entries(urls)) if (!(await reachable(url))) missing.push(`${key}=${url}`);
  if (missing.length) {
    throw new Error(
      `Integration tests need PostgreSQL, Redis and RabbitMQ. Not reachable: ${missing.join(', ')}. ` +
        'Start them (see README "Tests"), set DATABASE_URL / REDIS_URL / AMQP_URL, or run a Docker engine for testcontainers.',
    );
  }
  Object.assign(process.env, urls);
};
