import { loadConfig } from '@platform/config';
import { stackConfigSchema } from './config.js';
import { mailSinkOptions, smtpEnvFor, wantsMailSink } from './local-mail.js';

const mailer = { sendsMail: true };
const quiet = {};

describe('wantsMailSink', () => {
  it('catches mail locally when no SMTP_HOST is set and a service sends mail', () => {
    expect(wantsMailSink({ SMTP_HOST: undefined }, [quiet, mailer])).toBe(true);
  });

  it('leaves mail to the configured server when SMTP_HOST is set', () => {
    expect(wantsMailSink({ SMTP_HOST: 'smtp.example.com' }, [mailer])).toBe(false);
  });

  it('starts no sink when no running service sends mail', () => {
    expect(wantsMailSink({ SMTP_HOST: undefined }, [quiet])).toBe(false);
  });
});

describe('mailSinkOptions', () => {
  it('binds the sink to loopback on 1025 with its inbox on 8025 by default', () => {
    expect(mailSinkOptions(loadConfig(stackConfigSchema, {}))).toEqual({
      host: '127.0.0.1',
      smtpPort: 1025,
      httpPort: 8025,
    });
  });

  it('takes the ports from MAIL_SINK_SMTP_PORT and MAIL_SINK_HTTP_PORT', () => {
    const config = loadConfig(stackConfigSchema, { MAIL_SINK_SMTP_PORT: '2525', MAIL_SINK_HTTP_PORT: '0' });
    expect(mailSinkOptions(config)).toMatchObject({ smtpPort: 2525, httpPort: 0 });
  });
});

describe('smtpEnvFor', () => {
  it('points a mail sender at the sink over plain SMTP and drops inherited credentials', () => {
    expect(smtpEnvFor({ host: '127.0.0.1', smtpPort: 1025 })).toEqual({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '1025',
      SMTP_SECURE: 'false',
      SMTP_REQUIRE_TLS: 'false',
      SMTP_USER: undefined,
      SMTP_PASSWORD: undefined,
    });
  });

  it('sets nothing without a sink, so the user SMTP_* pass through as they are', () => {
    expect(smtpEnvFor(undefined)).toEqual({});
  });
});
