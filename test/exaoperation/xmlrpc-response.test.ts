import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { decodeMethodResponse, XmlRpcDecodeError, XmlRpcFaultError } from '../../src/exaoperation/xmlrpc-response.js';

// npm xmlrpc's own deserializer is the reference: the new decoder must give the values it gave,
// so nothing above the transport changes (client.ts and map-error.ts read exactly these shapes).
const require = createRequire(import.meta.url);
const Deserializer = require('xmlrpc/lib/deserializer.js') as new () => {
  deserializeMethodResponse(stream: Readable, callback: (error: unknown, value: unknown) => void): void;
};
function reference(body: string): Promise<{ value?: unknown; error?: unknown }> {
  return new Promise((resolve) => {
    new Deserializer().deserializeMethodResponse(Readable.from([body]), (error, value) => resolve(error ? { error } : { value }));
  });
}
const response = (value: string): string =>
  `<?xml version="1.0"?>\n<methodResponse><params><param><value>${value}</value></param></params></methodResponse>`;

const SAME_AS_XMLRPC: Record<string, string> = {
  'a string': '<string>Running &amp; &lt;ok&gt;</string>',
  'a bare string': 'online',
  'an empty string': '<string></string>',
  'an int and an i4': '<array><data><value><int>-42</int></value><value><i4>7</i4></value></data></array>',
  'a 64-bit i8 (kept as text)': '<i8>9007199254740993</i8>',
  'a double': '<double>-1.5e3</double>',
  booleans: '<array><data><value><boolean>1</boolean></value><value><boolean>0</boolean></value></data></array>',
  base64: '<base64>aGVsbG8=</base64>',
  'a dateTime': '<dateTime.iso8601>20261203T10:15:30</dateTime.iso8601>',
  nil: '<nil/>',
  'a nested struct (the shape of getDatabaseInfo)':
    '<struct><member><name>state</name><value><string>running</string></value></member>' +
    '<member><name>nodes</name><value><struct><member><name>active</name><value><array><data>' +
    '<value>n11</value><value><string>n12</string></value></data></array></value></member></struct></value></member>' +
    '<member><name>empty</name><value><array><data></data></array></value></member>' +
    '<member><name>cdata</name><value><string><![CDATA[a <b>]]></string></value></member></struct>',
};

describe('decodeMethodResponse', () => {
  for (const [what, value] of Object.entries(SAME_AS_XMLRPC)) {
    it(`decodes ${what} exactly as npm xmlrpc does`, async () => {
      const body = response(value);
      const expected = await reference(body);
      assert.equal(expected.error, undefined);
      assert.deepEqual(decodeMethodResponse(body), expected.value);
    });
  }

  it('reads <ex:nil/> (any prefix) as null, as the transport used to after its retry', () => {
    assert.equal(decodeMethodResponse(response('<ex:nil/>')), null);
    assert.deepEqual(decodeMethodResponse(response('<array><data><value><x.y:nil/></value></data></array>')), [null]);
  });

  it('throws a fault with its code and string, the shape map-error.ts reads', async () => {
    const body =
      '<?xml version="1.0"?><methodResponse><fault><value><struct>' +
      '<member><name>faultCode</name><value><int>8002</int></value></member>' +
      '<member><name>faultString</name><value><string>Unauthorized</string></value></member>' +
      '</struct></value></fault></methodResponse>';
    const expected = (await reference(body)).error as { faultCode: unknown; faultString: unknown };
    assert.throws(
      () => decodeMethodResponse(body),
      (error: unknown) =>
        error instanceof XmlRpcFaultError &&
        error.faultCode === expected.faultCode &&
        error.faultString === expected.faultString &&
        /Unauthorized/.test(error.message),
    );
  });

  const BROKEN: Record<string, [string, RegExp]> = {
    'a truncated answer': [response('<string>half').slice(0, -30), /not well-formed/],
    'an HTML error page': ['<html><body>502 Bad Gateway', /<html> where <methodResponse> was expected/],
    'not XML at all': ['502 Bad Gateway', /not well-formed/],
    'an empty body': ['', /must contain a root element/],
    'another root element': ['<methodCall><params/></methodCall>', /<methodCall> where <methodResponse>/],
    'an unknown element': [response('<float>1.0</float>'), /unknown XML-RPC element <float>/],
    'an int that is not one': [response('<int>twelve</int>'), /expected an integer but got 'twelve'/],
    'a boolean that is not 0 or 1': [response('<boolean>true</boolean>'), /illegal boolean value 'true'/],
    'a double that is not one': [response('<double>1.2.3</double>'), /expected a double/],
    'no value': ['<methodResponse><params></params></methodResponse>', /without a value/],
    'two values': [
      '<methodResponse><params><param><value>a</value></param><param><value>b</value></param></params></methodResponse>',
      /more than one value/,
    ],
    'neither params nor fault': ['<methodResponse></methodResponse>', /without <params> or <fault>/],
  };
  for (const [what, [body, message]] of Object.entries(BROKEN)) {
    it(`refuses ${what} with a decode error that says what was wrong`, () => {
      assert.throws(
        () => decodeMethodResponse(body),
        (error: unknown) => error instanceof XmlRpcDecodeError && message.test(error.message),
      );
    });
  }

  it('does not echo a long server value whole in its error', () => {
    const long = 'x'.repeat(500);
    assert.throws(
      () => decodeMethodResponse(response(`<int>${long}</int>`)),
      (error: unknown) => error instanceof XmlRpcDecodeError && error.message.length < 120,
    );
  });
});
