import { isJsonContentType, JsonBodyCollector } from './body.js';

const json = { contentType: 'application/json', contentLength: '' };
const bytes = (text: string) => new TextEncoder().encode(text);

describe('isJsonContentType', () => {
  it.each([
    'application/json',
    'Application/JSON',
    'application/json; charset=utf-8',
    'application/json;charset="UTF-8"',
  ])('accepts %s', (value) => expect(isJsonContentType(value)).toBe(true));

  it.each([
    '',
    'text/plain',
    'application/jsonp',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
  ])('refuses %j', (value) => expect(isJsonContentType(value)).toBe(false));
});

describe('JsonBodyCollector', () => {
  it('parses a body that arrives in several chunks, even split inside a character', () => {
    const collector = new JsonBodyCollector(json);
    const all = bytes('{"name":"Café"}');
    collector.push(all.subarray(0, 13));
    collector.push(all.subarray(13));
    expect(collector.finish()).toEqual({ ok: true, value: { name: 'Café' } });
  });

  it('keeps its own copy of each chunk, as uWS reuses the memory', () => {
    const collector = new JsonBodyCollector(json);
    const chunk = bytes('{"a":1}');
    collector.push(chunk);
    chunk.fill(0x20);
    expect(collector.finish()).toEqual({ ok: true, value: { a: 1 } });
  });

  it('refuses another media type before reading anything', () => {
    const collector = new JsonBodyCollector({ contentType: 'text/plain', contentLength: '7' });
    expect(collector.refused).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    collector.push(bytes('{"a":1}'));
    expect(collector.finish()).toMatchObject({ ok: false, problem: { status: 415 } });
  });

  it('refuses a declared length over the limit at once', () => {
    const collector = new JsonBodyCollector({ contentType: 'application/json', contentLength: '17' }, 16);
    expect(collector.refused).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('refuses a body that grows past the limit, whatever it declared', () => {
    const collector = new JsonBodyCollector(json, 16);
    collector.push(bytes('{"text":"'));
    expect(collector.refused).toBeUndefined();
    collector.push(bytes('0123456789"}'));
    expect(collector.refused).toMatchObject({ status: 413 });
    expect(collector.finish()).toMatchObject({ ok: false, problem: { code: 'payload_too_large' } });
  });

  it('accepts a body of exactly the limit', () => {
    const collector = new JsonBodyCollector(json, 7);
    collector.push(bytes('{"a":1}'));
    expect(collector.finish()).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each([
    ['malformed JSON', bytes('{"a":')],
    ['an empty body', bytes('')],
    ['invalid UTF-8', Uint8Array.of(0x22, 0xff, 0x22)],
  ])('calls %s invalid_json', (_name, chunk) => {
    const collector = new JsonBodyCollector(json);
    collector.push(chunk);
    expect(collector.finish()).toMatchObject({ ok: false, problem: { status: 400, code: 'invalid_json' } });
  });
});
