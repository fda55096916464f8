// How zope.publisher renders an exception as an XML-RPC fault (ZOPE xmlrpc.py handleException):
// code -1 and "Unexpected Zope exception: <ExcClassName>: <str(exc)>".

export const ZOPE_FAULT_CODE = -1;

export interface ZopeFault {
  readonly faultCode: number;
  readonly faultString: string;
}

export function zopeFault(exceptionName: string, message: string): ZopeFault {
  return { faultCode: ZOPE_FAULT_CODE, faultString: `Unexpected Zope exception: ${exceptionName}: ${message}` };
}

/** NotFound.__str__ is "Object: <repr(obj)>, name: '<name>'". */
export function notFoundFault(objectRepr: string, name: string): ZopeFault {
  return zopeFault('NotFound', `Object: ${objectRepr}, name: '${name}'`);
}
