// XML-RPC encoding through npm `xmlrpc`'s own Serializer/Deserializer, so the simulator speaks
// exactly the dialect of that library (e.g. <nil/> for null, CDATA for strings with '<' or '&').
import { PassThrough } from 'node:stream';
import Deserializer from 'xmlrpc/lib/deserializer.js';
import serializer from 'xmlrpc/lib/serializer.js';
import type { RpcValue } from '../api/rpc-value.js';
import type { ZopeFault } from '../api/zope-fault.js';

export interface MethodCall {
  readonly methodName: string;
  readonly params: readonly unknown[];
}

export function parseMethodCall(body: Buffer): Promise<MethodCall> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const stream = new PassThrough();
    new Deserializer().deserializeMethodCall(stream, (error, methodName, params) => {
      // The sax stream may report several errors for one document; answer once.
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve({ methodName: methodName ?? '', params: params ?? [] });
    });
    stream.end(body);
  });
}

export function serializeResult(value: RpcValue): string {
  return serializer.serializeMethodResponse(value);
}

export function serializeFault(fault: ZopeFault): string {
  return serializer.serializeFault({ faultCode: fault.faultCode, faultString: fault.faultString });
}

/**
 * A response cut off in the middle of a struct, as from a dropped proxy connection. Strict parsers
 * (Python's expat) fail on the unclosed elements; npm xmlrpc's lenient sax parser fails on the open
 * struct, so every client sees an error rather than a plausible value.
 */
export const MALFORMED_RESPONSE =
  '<?xml version="1.0"?>\n<methodResponse><params><param><value><struct><member><name>state</name>' +
  '<value><string>run';
