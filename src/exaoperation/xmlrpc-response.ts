// Decoding of an XML-RPC methodResponse body, with saxes (the strict, non-validating XML parser
// jsdom uses). npm xmlrpc's own deserializer pipes a stream through sax's lenient parser and was
// most of the bot's CPU on a 64-node status (bench/xml-codec.ts measures both side by side: 10-20x
// per answer). The values are the ones npm xmlrpc produces, so nothing above the transport changes:
// strings, numbers, booleans, null, Buffer for base64, Date for dateTime.iso8601, the 64-bit i8 as
// a decimal string, arrays and plain objects; a fault is an Error with faultCode and faultString.
import { createRequire } from 'node:module';
import { SaxesParser } from 'saxes';

/** The body is not a well-formed XML-RPC methodResponse. */
export class XmlRpcDecodeError extends Error {
  override readonly name = 'XmlRpcDecodeError';
}

/** A methodResponse with a <fault>: the shape map-error.ts reads (as npm xmlrpc reports it). */
export class XmlRpcFaultError extends Error {
  override readonly name = 'XmlRpcFaultError';
  constructor(
    readonly faultCode: unknown,
    readonly faultString: unknown,
  ) {
    super(`XML-RPC fault${typeof faultString === 'string' && faultString ? `: ${faultString}` : ''}`);
  }
}

interface DateFormatter {
  decodeIso8601(text: string): Date;
}
const dateFormatter = (createRequire(import.meta.url)('xmlrpc/lib/date_formatter.js') as DateFormatter);

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The value of a methodResponse, or throws XmlRpcFaultError (a fault) or XmlRpcDecodeError (not
 * XML, truncated, an unknown element, a value that does not parse, or not exactly one value).
 */
export function decodeMethodResponse(body: string): unknown {
  const parser = new SaxesParser();
  // Values closed so far, innermost last; an array or struct collects those after its mark.
  const stack: unknown[] = [];
  const marks: number[] = [];
  let text = '';
  /** True while the innermost open element is <value>: text in it is a string without a type tag. */
  let bareValue = false;
  let root: string | undefined;
  let kind: 'params' | 'fault' | undefined;
  let failure: Error | undefined;

  const fail = (message: string): never => {
    throw new XmlRpcDecodeError(message);
  };
  const push = (value: unknown): void => {
    stack.push(value);
    bareValue = false;
  };

  parser.on('opentag', (tag) => {
    if (root === undefined) {
      root = tag.name;
      if (root !== 'methodResponse') fail(`<${root}> where <methodResponse> was expected`);
    }
    if (tag.name === 'array' || tag.name === 'struct') marks.push(stack.length);
    text = '';
    bareValue = tag.name === 'value';
  });
  parser.on('text', (chunk) => {
    text += chunk;
  });
  parser.on('cdata', (chunk) => {
    text += chunk;
  });
  parser.on('closetag', (tag) => {
    const data = text;
    text = '';
    switch (tag.name) {
      case 'string':
      case 'name':
        push(data);
        break;
      case 'int':
      case 'i4':
        if (!INTEGER.test(data.trim())) fail(`expected an integer but got '${clip(data)}'`);
        push(Number.parseInt(data, 10));
        break;
      case 'i8':
        if (!INTEGER.test(data.trim())) fail(`expected an integer (i8) but got '${clip(data)}'`);
        push(data.trim());
        break;
      case 'double':
        if (!NUMBER.test(data.trim())) fail(`expected a double but got '${clip(data)}'`);
        push(Number.parseFloat(data));
        break;
      case 'boolean':
        if (data !== '0' && data !== '1') fail(`illegal boolean value '${clip(data)}'`);
        push(data === '1');
        break;
      case 'base64':
        push(Buffer.from(data, 'base64'));
        break;
      case 'dateTime.iso8601':
        push(dateFormatter.decodeIso8601(data));
        break;
      case 'nil':
        push(null);
        break;
      case 'value':
        if (bareValue) push(data);
        bareValue = false;
        break;
      case 'array': {
        const mark = marks.pop() ?? 0;
        push(stack.splice(mark));
        break;
      }
      case 'struct': {
        const mark = marks.pop() ?? 0;
        const items = stack.splice(mark);
        if (items.length % 2 !== 0) fail('a struct member without a value');
        const struct: Record<string, unknown> = {};
        for (let i = 0; i < items.length; i += 2) struct[String(items[i])] = items[i + 1];
        push(struct);
        break;
      }
      case 'params':
        kind = 'params';
        break;
      case 'fault':
        kind = 'fault';
        break;
      case 'data':
      case 'param':
      case 'member':
      case 'methodResponse':
        break;
      default:
        // Some servers write None as <ex:nil/> (Apache's extension namespace): null, whatever the prefix.
        if (/^[\w.-]+:nil$/.test(tag.name)) push(null);
        else fail(`unknown XML-RPC element <${tag.name}>`);
    }
  });
  parser.on('error', (error) => {
    failure ??= error;
  });

  try {
    parser.write(body).close();
  } catch (error) {
    failure ??= error instanceof Error ? error : new Error(String(error));
  }
  if (failure) throw failure instanceof XmlRpcDecodeError ? failure : new XmlRpcDecodeError(`not well-formed XML: ${failure.message}`);
  if (root !== 'methodResponse') fail(root === undefined ? 'an empty body' : `<${root}> where <methodResponse> was expected`);
  if (kind === undefined) fail('a methodResponse without <params> or <fault>');
  if (stack.length !== 1) fail(stack.length === 0 ? 'a methodResponse without a value' : 'a methodResponse with more than one value');
  const value = stack[0];
  if (kind === 'fault') {
    const fault = (typeof value === 'object' && value !== null ? value : {}) as { faultCode?: unknown; faultString?: unknown };
    throw new XmlRpcFaultError(fault.faultCode, fault.faultString);
  }
  return value;
}

/** A value from the body, shortened: it is the server's text, shown in an error's detail only. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
